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
}
