import Wire

/// The DTLS handshakes a listener accepted that have not ended yet (half-open: the cookie was
/// answered, RFC 6347 §4.2.1, the client's second flight has not completed the handshake).
/// Each accepted session holds one slot, with the address it came from and when it started,
/// and gives it back when its handshake completes or fails, or when it is dropped. The table
/// has `limit` slots; the listener counts them per source host and picks the oldest to give
/// way when all are taken (`OldestGivesWay`).
final class HalfOpenBudget {
    struct Holder {
        let address: PeerAddress
        let source: [UInt8]
        let started: Instant
    }

    let limit: Int
    private(set) var holders: [Holder?]
    private(set) var inUse = 0
    /// Slots given back because their handshake ran out of time.
    private(set) var expired: UInt64 = 0

    init(limit: Int) {
        precondition(limit > 0 && limit <= LinkLimits.maximumHalfOpenLimit)
        self.limit = limit
        holders = Array(repeating: nil, count: limit)
    }

    var isExhausted: Bool { inUse >= limit }

    /// Takes a free slot for a handshake from `address`; the slot's number, for `release`.
    func acquire(_ address: PeerAddress, now: Instant) -> Int {
        precondition(inUse < limit, "half-open slot taken beyond the limit")
        guard let slot = holders.firstIndex(where: { $0 == nil }) else { preconditionFailure("no free slot below the limit") }
        holders[slot] = Holder(address: address, source: address.sourceHost, started: now)
        inUse += 1
        return slot
    }

    func release(_ slot: Int) {
        precondition(slot >= 0 && slot < limit && holders[slot] != nil, "half-open slot released twice")
        holders[slot] = nil
        inUse -= 1
    }

    func countExpired() { expired += 1 }

    /// Half-open handshakes from `source` (a `PeerAddress.sourceHost`).
    func count(from source: [UInt8]) -> Int {
        var count = 0
        for case let holder? in holders where holder.source == source { count += 1 }
        return count
    }

    /// The address whose half-open handshake gives way to a new one, if one is old enough.
    func oldest(now: Instant, minimumAgeMilliseconds: UInt64) -> PeerAddress? {
        var choice = OldestGivesWay<PeerAddress>(now: now, minimumAgeMilliseconds: minimumAgeMilliseconds)
        for case let holder? in holders { choice.consider(holder.address, started: holder.started) }
        return choice.chosen
    }
}
