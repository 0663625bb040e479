import Wire

/// Failed Digest attempts per key (a source address, or a user name), to make password
/// guessing slow (RFC 3261 §26.3.2.4 asks registrars to resist it; RFC 2617 §4.6 notes Digest
/// is open to dictionary attacks). The first `allowedFailures - 1` failures are free (a user
/// mistyping); the `allowedFailures`-th blocks the key for `basePenaltySeconds`, and every
/// further failure doubles that, up to `maximumPenaltySeconds`. A blocked key is refused
/// before its password is checked, so a guess made during the penalty never succeeds, right
/// or wrong: a run of guesses gets one guess per penalty, and the penalty grows.
///
/// Failures decay by one every `decaySeconds` of quiet, counted from the end of the penalty
/// (not from the last failure: waiting out a penalty must not also buy free guesses). An
/// entry decayed to nothing and not blocked is forgotten. The table has a fixed capacity
/// (WireGuard ratelimiter.c): when it is full, forgotten entries go first, then the least
/// penalized one (the earliest end of penalty, then the oldest failure), so that a flood of
/// single failures from many keys cannot push out a key deep in its penalty, and the table
/// never fails closed for everybody. Time is an argument (the wall clock).
public struct FailureRateLimiter {
    struct Entry {
        /// Failures counted, as of `quietSince`.
        var failures: Int
        var lastFailure: WallTime
        /// Refused before this time; equal to `lastFailure` or earlier when not blocked.
        var blockedUntil: WallTime
        /// Decay counts from here: the later of the last failure and the end of the penalty.
        var quietSince: WallTime { max(lastFailure, blockedUntil) }
    }

    public let capacity: Int
    public let allowedFailures: Int
    public let decaySeconds: Int64
    public let basePenaltySeconds: Int64
    public let maximumPenaltySeconds: Int64
    private(set) var entries: [[UInt8]: Entry] = [:]

    /// Doublings of the penalty beyond which failures stop counting (2**32 seconds is far
    /// beyond any maximum): keeps the shift and the decay time bounded.
    static let maximumDoublings = 32

    public init(
        capacity: Int = SIPLimits.failureTableCapacity, allowedFailures: Int, decaySeconds: Int64,
        basePenaltySeconds: Int64 = SIPLimits.defaultBasePenaltySeconds, maximumPenaltySeconds: Int64 = SIPLimits.defaultMaximumPenaltySeconds
    ) {
        precondition(capacity > 0 && allowedFailures > 0 && decaySeconds > 0)
        precondition(basePenaltySeconds > 0 && basePenaltySeconds <= maximumPenaltySeconds)
        self.capacity = capacity
        self.allowedFailures = allowedFailures
        self.decaySeconds = decaySeconds
        self.basePenaltySeconds = basePenaltySeconds
        self.maximumPenaltySeconds = maximumPenaltySeconds
    }

    public var count: Int { entries.count }

    /// Whether attempts of `key` are refused now.
    public func isBlocked(_ key: [UInt8], now: WallTime) -> Bool {
        return blockedUntil(key, now: now) != nil
    }

    /// The end of `key`'s penalty, if it is in one now.
    public func blockedUntil(_ key: [UInt8], now: WallTime) -> WallTime? {
        guard let entry = entries[key], entry.blockedUntil > now else { return nil }
        return entry.blockedUntil
    }

    /// Counts a failed attempt of `key` (one that was checked: attempts refused during a
    /// penalty are not checked and not counted). At `allowedFailures` and beyond, the key is
    /// blocked for the doubled penalty from now.
    public mutating func recordFailure(_ key: [UInt8], now: WallTime) {
        if entries[key] == nil, entries.count >= capacity { makeRoom(now: now) }
        var entry = entries[key].map { decayed($0, now: now) } ?? Entry(failures: 0, lastFailure: now, blockedUntil: now)
        entry.failures = min(entry.failures + 1, allowedFailures + FailureRateLimiter.maximumDoublings)
        entry.lastFailure = max(entry.lastFailure, now)
        if entry.failures >= allowedFailures {
            entry.blockedUntil = max(entry.blockedUntil, now.adding(seconds: penaltySeconds(failures: entry.failures)))
        }
        entries[key] = entry
        precondition(entries.count <= capacity)
        precondition(entry.failures > 0)
    }

    /// A successful attempt clears the key's failures.
    public mutating func recordSuccess(_ key: [UInt8]) {
        entries[key] = nil
    }

    /// basePenaltySeconds * 2**(failures - allowedFailures), at most maximumPenaltySeconds.
    public func penaltySeconds(failures: Int) -> Int64 {
        precondition(failures >= allowedFailures)
        let doublings = min(failures - allowedFailures, FailureRateLimiter.maximumDoublings)
        let penalty = basePenaltySeconds.multipliedReportingOverflow(by: Int64(1) << Int64(doublings))
        return penalty.overflow ? maximumPenaltySeconds : min(penalty.partialValue, maximumPenaltySeconds)
    }

    /// Drops the forgotten entries; if none is, the least penalized one.
    mutating func makeRoom(now: WallTime) {
        entries = entries.filter { !isForgotten($0.value, now: now) }
        guard entries.count >= capacity else { return }
        let victim = entries.min { left, right in
            if left.value.blockedUntil != right.value.blockedUntil { return left.value.blockedUntil < right.value.blockedUntil }
            return left.value.lastFailure < right.value.lastFailure
        }
        if let victim { entries[victim.key] = nil }
        precondition(entries.count < capacity)
    }

    func isForgotten(_ entry: Entry, now: WallTime) -> Bool {
        return entry.blockedUntil <= now && decayed(entry, now: now).failures == 0
    }

    /// One failure less per whole `decaySeconds` since the entry went quiet; a clock that went
    /// backwards decays nothing.
    func decayed(_ entry: Entry, now: WallTime) -> Entry {
        let quiet = now.seconds(since: entry.quietSince)
        guard quiet >= decaySeconds else { return entry }
        var result = entry
        let periods = quiet / decaySeconds
        result.failures = periods >= Int64(entry.failures) ? 0 : entry.failures - Int(periods)
        // The decay is taken: the remainder of the quiet time starts again from here.
        let kept = entry.quietSince.adding(seconds: periods * decaySeconds)
        result.lastFailure = max(entry.lastFailure, kept)
        return result
    }
}
