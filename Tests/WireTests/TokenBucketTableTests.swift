import Testing
import Wire

private func at(_ seconds: Int64) -> WallTime { WallTime(secondsSince1970: seconds) }

@Suite struct TokenBucketTableTests {
    /// A burst, then one token per 60/rate seconds; Retry-After says when.
    @Test func burstThenRate() {
        var buckets = TokenBucketTable(capacity: 4, ratePerMinute: 6, burst: 3)
        let key = Array("192.0.2.1".utf8)
        for _ in 0..<3 { #expect(buckets.admit(key, now: at(0)) == .admitted) }
        #expect(buckets.admit(key, now: at(0)) == .refused(retryAfterSeconds: 10))
        #expect(buckets.admit(key, now: at(4)) == .refused(retryAfterSeconds: 6))
        #expect(buckets.admit(key, now: at(10)) == .admitted)
        #expect(buckets.admit(key, now: at(10)) == .refused(retryAfterSeconds: 10))
        #expect(buckets.admit(Array("192.0.2.2".utf8), now: at(10)) == .admitted)
        // A clock stepping back gains nothing.
        #expect(buckets.admit(key, now: at(5)) == .refused(retryAfterSeconds: 10))
    }

    /// The table stays within its capacity under many sources; full buckets go first, then
    /// the least recently used.
    @Test func boundedUnderManySources() {
        var buckets = TokenBucketTable(capacity: 64, ratePerMinute: 1, burst: 1)
        let busy = Array("busy".utf8)
        #expect(buckets.admit(busy, now: at(0)) == .admitted)
        for index in 0..<10_000 {
            #expect(buckets.admit(Array(String(index).utf8), now: at(Int64(index / 1000))) == .admitted)
            #expect(buckets.count <= 64)
        }
        #expect(buckets.count == 64)
        // Empty buckets refill within a minute and are then forgotten first.
        var refilling = TokenBucketTable(capacity: 2, ratePerMinute: 60, burst: 1)
        _ = refilling.admit([1], now: at(0))
        _ = refilling.admit([2], now: at(0))
        _ = refilling.admit([3], now: at(1))
        #expect(refilling.count == 1)
    }

    /// One token every so many milliseconds on the monotonic clock (Link's handshakes per
    /// host): the same arithmetic, to the millisecond; `hasToken` looks without taking.
    @Test func oneTokenEveryRefillOnTheMonotonicClock() {
        func ms(_ value: UInt64) -> Instant { Instant(nanoseconds: 1_000_000_000 + value * 1_000_000) }
        var buckets = TokenBucketTable(capacity: 4, refillMilliseconds: 250, burst: 2)
        let host = [UInt8]([10, 0, 0, 1])
        #expect(buckets.hasToken(host, now: ms(0)), "a host without a bucket has a full one")
        #expect(buckets.admit(host, now: ms(0)) == .admitted)
        #expect(buckets.admit(host, now: ms(0)) == .admitted)
        #expect(!buckets.hasToken(host, now: ms(249)))
        #expect(buckets.admit(host, now: ms(249)) == .refused(retryAfterSeconds: 1))
        #expect(buckets.hasToken(host, now: ms(250)))
        #expect(buckets.hasToken(host, now: ms(250)), "looking takes nothing")
        #expect(buckets.admit(host, now: ms(250)) == .admitted)
        #expect(buckets.admit(host, now: ms(250)) == .refused(retryAfterSeconds: 1))
        // Refills cap at the burst however long the pause.
        #expect(buckets.admit(host, now: ms(3_600_000)) == .admitted)
        #expect(buckets.admit(host, now: ms(3_600_000)) == .admitted)
        #expect(buckets.admit(host, now: ms(3_600_000)) == .refused(retryAfterSeconds: 1))
        // The largest refill time and burst do not overflow.
        var slow = TokenBucketTable(
            capacity: 1, refillMilliseconds: TokenBucketTable.maximumRefillMilliseconds, burst: TokenBucketTable.maximumBurst)
        for _ in 0..<TokenBucketTable.maximumBurst { #expect(slow.admit(host, now: ms(0)) == .admitted) }
        #expect(slow.admit(host, now: ms(0)) == .refused(retryAfterSeconds: 86_400))
        #expect(slow.admit(host, now: ms(UInt64.max / 2_000_000)) == .admitted)
    }

    /// A full table that refuses new keys (the enrollment server fails closed) until a bucket
    /// filled up again; and requests closer together than one thousandth of a token still add
    /// up to the rate.
    @Test func failClosedAndNoFractionLost() {
        var closed = TokenBucketTable(capacity: 2, ratePerMinute: 1, burst: 1, whenFull: .refuseNewKeys)
        #expect(closed.admit([1], now: at(0)) == .admitted)
        #expect(closed.admit([2], now: at(0)) == .admitted)
        #expect(closed.admit([3], now: at(30)) == .refused(retryAfterSeconds: 60))
        #expect(closed.count == 2)
        #expect(closed.admit([3], now: at(60)) == .admitted)
        var buckets = TokenBucketTable(capacity: 1, ratePerMinute: 1, burst: 1)
        #expect(buckets.admit([1], now: at(0)) == .admitted)
        var admitted = 0
        // Every 50 ms for 120 s: one token a minute, whatever the spacing.
        for step in 1...2_400 {
            if buckets.admit([1], now: WallTime(millisecondsSince1970: UInt64(step) * 50)) == .admitted { admitted += 1 }
        }
        #expect(admitted == 2)
    }
}
