import Wire

/// Per-source state of a DatagramListener, kept only for sources that proved they receive at
/// their address (a valid cookie, RFC 6347 §4.2.1), so spoofed ClientHellos create none: a
/// token bucket of new handshakes per host, and the bans of addresses whose identity was
/// refused. Both tables have a fixed capacity (as WireGuard's ratelimiter.c): a bucket
/// that filled up again is the same as none and goes first, then the least recently used; an
/// expired ban goes first, then the one that ends soonest. Time is an argument.
struct HandshakeSources {
    let limits: HandshakeSourceLimits
    private(set) var buckets: TokenBucketTable
    private(set) var bans: [PeerAddress: Instant] = [:]

    init(limits: HandshakeSourceLimits) {
        precondition(limits.problem == nil)
        self.limits = limits
        buckets = TokenBucketTable(
            capacity: limits.trackedSources, refillMilliseconds: Int(limits.handshakeRefillMilliseconds), burst: limits.handshakeBurst)
    }

    /// True when `source`'s bucket has a token (a source without a bucket has a full one).
    func hasToken(_ source: [UInt8], now: Instant) -> Bool { buckets.hasToken(source, now: now) }

    /// Takes one token of `source`'s bucket; false when it has none.
    mutating func admit(_ source: [UInt8], now: Instant) -> Bool { buckets.admit(source, now: now) == .admitted }

    /// Refuses new handshakes from `address` for the ban time.
    mutating func ban(_ address: PeerAddress, now: Instant) {
        guard limits.banMilliseconds > 0 else { return }
        if bans[address] == nil && bans.count >= limits.trackedSources {
            bans = bans.filter { $0.value > now }
            if bans.count >= limits.trackedSources, let soonest = bans.min(by: { $0.value < $1.value }) { bans[soonest.key] = nil }
        }
        bans[address] = now.adding(milliseconds: limits.banMilliseconds)
        precondition(bans.count <= limits.trackedSources)
    }

    /// True while `address` is banned; an expired ban is forgotten.
    mutating func isBanned(_ address: PeerAddress, now: Instant) -> Bool {
        guard let until = bans[address] else { return false }
        if now < until { return true }
        bans[address] = nil
        return false
    }
}
