import Wire

/// Per-source state of a DatagramListener, kept only for sources that proved they receive at
/// their address (a valid cookie, RFC 6347 §4.2.1), so spoofed ClientHellos create none: a
/// token bucket of new handshakes per host, and the bans of addresses whose identity was
/// refused. Both tables have a fixed capacity (as WireGuard's ratelimiter.c): a bucket
/// that filled up again is the same as none and goes first, then the least recently used; an
/// expired ban goes first, then the one that ends soonest. Time is an argument.
struct HandshakeSources {
    struct Bucket {
        /// Tokens in thousandths, as of `updated`.
        var milliTokens: UInt64
        var updated: Instant
    }

    let limits: HandshakeSourceLimits
    private(set) var buckets: [[UInt8]: Bucket] = [:]
    private(set) var bans: [PeerAddress: Instant] = [:]

    static let scale: UInt64 = 1_000

    init(limits: HandshakeSourceLimits) {
        precondition(limits.problem == nil)
        self.limits = limits
    }

    var fullBucket: UInt64 { UInt64(limits.handshakeBurst) * HandshakeSources.scale }

    /// True when `source`'s bucket has a token (a source without a bucket has a full one).
    func hasToken(_ source: [UInt8], now: Instant) -> Bool {
        guard let bucket = buckets[source] else { return true }
        return refilled(bucket, now: now).milliTokens >= HandshakeSources.scale
    }

    /// Takes one token of `source`'s bucket; false when it has none.
    mutating func admit(_ source: [UInt8], now: Instant) -> Bool {
        if buckets[source] == nil && buckets.count >= limits.trackedSources { makeRoomForBucket(now: now) }
        var bucket = buckets[source].map { refilled($0, now: now) } ?? Bucket(milliTokens: fullBucket, updated: now)
        let admitted = bucket.milliTokens >= HandshakeSources.scale
        if admitted { bucket.milliTokens -= HandshakeSources.scale }
        buckets[source] = bucket
        precondition(buckets.count <= limits.trackedSources)
        return admitted
    }

    func refilled(_ bucket: Bucket, now: Instant) -> Bucket {
        // Capped at a full bucket's worth of time, so the product cannot overflow.
        let elapsed = min(now.milliseconds(since: bucket.updated), limits.handshakeRefillMilliseconds * UInt64(limits.handshakeBurst))
        let gained = elapsed * HandshakeSources.scale / limits.handshakeRefillMilliseconds
        guard gained > 0 else { return bucket }
        return Bucket(milliTokens: min(bucket.milliTokens + gained, fullBucket), updated: now)
    }

    mutating func makeRoomForBucket(now: Instant) {
        let full = fullBucket
        buckets = buckets.filter { refilled($0.value, now: now).milliTokens < full }
        guard buckets.count >= limits.trackedSources else { return }
        if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) { buckets[oldest.key] = nil }
        precondition(buckets.count < limits.trackedSources)
    }

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
