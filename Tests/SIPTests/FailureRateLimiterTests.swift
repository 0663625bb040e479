import SIP
import Testing
import Wire

/// The wall clock `seconds` after 1970 (the tests count whole seconds, as SIP does).
private func at(_ seconds: Int64) -> WallTime { WallTime(secondsSince1970: seconds) }

@Suite struct FailureRateLimiterTests {
    let source = Array("192.0.2.1".utf8)

    func limiter(capacity: Int = 8, allowed: Int = 3) -> FailureRateLimiter {
        return FailureRateLimiter(capacity: capacity, allowedFailures: allowed, decaySeconds: 10, basePenaltySeconds: 2, maximumPenaltySeconds: 64)
    }

    /// The allowed-th failure blocks for the base penalty; each further one doubles it up to
    /// the cap; a success clears.
    @Test func penaltyDoublesUpToTheCap() {
        var limiter = limiter()
        for _ in 0..<2 { limiter.recordFailure(source, now: at(100)) }
        #expect(!limiter.isBlocked(source, now: at(100)))
        limiter.recordFailure(source, now: at(100))
        #expect(limiter.blockedUntil(source, now: at(100)) == at(102))
        #expect(!limiter.isBlocked(source, now: at(102)))
        limiter.recordFailure(source, now: at(102))
        #expect(limiter.blockedUntil(source, now: at(102)) == at(106))
        limiter.recordFailure(source, now: at(106))
        #expect(limiter.blockedUntil(source, now: at(106)) == at(114))
        for _ in 0..<100 { limiter.recordFailure(source, now: at(200)) }
        #expect(limiter.blockedUntil(source, now: at(200)) == at(264))
        #expect(limiter.penaltySeconds(failures: 3 + 1000) == 64)
        #expect(!limiter.isBlocked(Array("192.0.2.2".utf8), now: at(200)))
        // A clock stepping back does not end a penalty.
        #expect(limiter.isBlocked(source, now: at(50)))
        limiter.recordSuccess(source)
        #expect(!limiter.isBlocked(source, now: at(200)))
    }

    /// A guesser trying once a second for 1000 seconds gets only a few guesses checked: the
    /// allowed ones, then one per (doubling) penalty.
    @Test func guessingRunGetsFewChecks() {
        var limiter = limiter()
        var checked = 0
        for second in Int64(0)..<1000 where !limiter.isBlocked(source, now: at(second)) {
            checked += 1
            limiter.recordFailure(source, now: at(second))
        }
        // 3 allowed, then penalties 2, 4, ..., 64, then one per 64 s: about 3 + 5 + 14.
        #expect(checked <= 25)
    }

    /// Failures decay once the penalty is over, not while it runs; decayed entries are
    /// forgotten.
    @Test func failuresDecayAfterThePenalty() {
        var limiter = limiter()
        for _ in 0..<3 { limiter.recordFailure(source, now: at(0)) }
        // Blocked until 2; three failures decay by 32. One failure at 12 finds 2 left: 3 again.
        limiter.recordFailure(source, now: at(12))
        #expect(limiter.blockedUntil(source, now: at(12)) == at(14))
        // Single failures are forgotten after 10 s: a full table makes room with them.
        var small = FailureRateLimiter(capacity: 2, allowedFailures: 3, decaySeconds: 10)
        small.recordFailure([1], now: at(0))
        small.recordFailure([2], now: at(0))
        small.recordFailure([3], now: at(10))
        #expect(small.count == 1)
    }

    /// A full table never refuses everybody: it drops the least penalized entry, so a flood
    /// of single failures keeps a guesser deep in its penalty blocked.
    @Test func fullTableKeepsThePenalized() {
        var limiter = limiter(capacity: 16)
        for _ in 0..<10 { limiter.recordFailure(source, now: at(0)) }
        for index in 0..<10_000 {
            let key = Array(String(index).utf8)
            limiter.recordFailure(key, now: at(1))
            #expect(!limiter.isBlocked(Array("fresh".utf8), now: at(1)))
        }
        #expect(limiter.count == 16)
        #expect(limiter.isBlocked(source, now: at(1)))
    }
}
