import Wire

/// "The oldest gives way": at capacity, a newcomer may push out the oldest holder of a slot
/// that has not finished, but only one at least `minimumAgeMilliseconds` old. Honest
/// exchanges finish well within that age, so a flood that holds every slot is recycled,
/// oldest first, while an honest exchange in progress is not; a newcomer that finds every
/// holder younger waits for its own retransmission. Used by the DTLS listener's half-open
/// table and by the HTTPS server's connection slots, so both apply the same rule.
///
///     var choice = OldestGivesWay<Int>(now: now, minimumAgeMilliseconds: 1_000)
///     for (slot, holder) in holders { choice.consider(slot, started: holder.started) }
///     if let slot = choice.chosen { evict(slot) }
public struct OldestGivesWay<Key> {
    public let now: Instant
    public let minimumAgeMilliseconds: UInt64
    private var oldest: Key? = nil
    private var oldestStarted = Instant.zero

    public init(now: Instant, minimumAgeMilliseconds: UInt64) {
        self.now = now
        self.minimumAgeMilliseconds = minimumAgeMilliseconds
    }

    /// One holder that may give way; among equal start times the first considered is kept.
    public mutating func consider(_ key: Key, started: Instant) {
        if oldest != nil && oldestStarted <= started { return }
        oldest = key
        oldestStarted = started
    }

    /// The holder that gives way: the oldest considered, if it is old enough.
    public var chosen: Key? {
        guard let oldest, now.milliseconds(since: oldestStarted) >= minimumAgeMilliseconds else { return nil }
        return oldest
    }
}
