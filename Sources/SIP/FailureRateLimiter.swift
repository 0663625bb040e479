import Wire

/// Failed REGISTER attempts per source, to slow down password guessing (RFC 3261 §26.3.2.4
/// asks registrars to resist it; RFC 2617 §4.6 notes Digest is open to dictionary attacks).
/// Each source's failure count decays by one every `decaySeconds`; a source at
/// `allowedFailures` is blocked until one failure has decayed. The table has a fixed capacity
/// (WireGuard ratelimiter.c): when it is full, sources decayed to nothing are dropped, and if
/// none is, unknown sources are blocked (fail closed) rather than the table growing. Time is
/// an argument (the wall clock); failures decay per whole second of it.
public struct FailureRateLimiter {
    struct Entry {
        /// Failures in thousandths, as of `updated`.
        var milliFailures: Int64
        var updated: WallTime
    }

    public let capacity: Int
    public let allowedFailures: Int
    public let decaySeconds: Int64
    private(set) var entries: [[UInt8]: Entry] = [:]

    static let scale: Int64 = 1000

    public init(capacity: Int = SIPLimits.failureTableCapacity, allowedFailures: Int, decaySeconds: Int64) {
        precondition(capacity > 0 && allowedFailures > 0 && decaySeconds > 0)
        self.capacity = capacity
        self.allowedFailures = allowedFailures
        self.decaySeconds = decaySeconds
    }

    public var count: Int { entries.count }

    /// Whether attempts from `source` (an address as bytes) are refused now.
    public func isBlocked(_ source: [UInt8], now: WallTime) -> Bool {
        guard let entry = entries[source] else { return entries.count >= capacity && !hasDecayedEntry(now: now) }
        // Blocked from the allowed-th failure until one failure has decayed.
        return decayed(entry, now: now).milliFailures > Int64(allowedFailures - 1) * FailureRateLimiter.scale
    }

    /// Counts a failed attempt of `source`. False when the table is full of sources that
    /// still count (the attempt could not be recorded; `isBlocked` refuses the source).
    @discardableResult
    public mutating func recordFailure(_ source: [UInt8], now: WallTime) -> Bool {
        if entries[source] == nil, entries.count >= capacity {
            entries = entries.filter { decayed($0.value, now: now).milliFailures > 0 }
            if entries.count >= capacity { return false }
        }
        var entry = decayed(entries[source] ?? Entry(milliFailures: 0, updated: now), now: now)
        let ceiling = Int64(allowedFailures) * 2 * FailureRateLimiter.scale
        entry.milliFailures = min(entry.milliFailures + FailureRateLimiter.scale, ceiling)
        entries[source] = entry
        precondition(entries.count <= capacity)
        return true
    }

    /// A successful attempt clears the source's failures.
    public mutating func recordSuccess(_ source: [UInt8]) {
        entries[source] = nil
    }

    func decayed(_ entry: Entry, now: WallTime) -> Entry {
        // A clock that went backwards decays nothing. Whole seconds of the clock count, so that
        // frequent attempts do not each lose the fraction of a second they come in.
        let elapsedSeconds = now.secondsSince1970 - entry.updated.secondsSince1970
        guard elapsedSeconds > 0 else { return entry }
        let elapsed = min(elapsedSeconds, decaySeconds * Int64(allowedFailures) * 2)
        let decay = elapsed * FailureRateLimiter.scale / decaySeconds
        return Entry(milliFailures: max(0, entry.milliFailures - decay), updated: now)
    }

    func hasDecayedEntry(now: WallTime) -> Bool {
        return entries.values.contains { decayed($0, now: now).milliFailures == 0 }
    }
}
