import Wire

/// Token buckets keyed by bytes (a user name, a source address), in a table of fixed
/// capacity (WireGuard ratelimiter.c style): tables keyed by network input never grow past
/// their limit. When the table is full, buckets that have refilled completely are dropped (they
/// hold no information); if none has, the attempt is refused: the server fails closed.
public struct RateLimiter {
    public let capacity: Int
    let burst: Int
    let refillSeconds: Int64
    private(set) var buckets: [[UInt8]: TokenBucket] = [:]

    public init(capacity: Int = EnrollmentLimits.rateLimiterCapacity, burst: Int, refillSeconds: Int64) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.burst = burst
        self.refillSeconds = refillSeconds
    }

    public var count: Int { buckets.count }

    /// Takes a token for `key`: nil if allowed, else the seconds to wait.
    public mutating func take(_ key: [UInt8], now: WallTime) -> Int64? {
        if var bucket = buckets[key] {
            let wait = bucket.take(now: now)
            buckets[key] = bucket
            return wait
        }
        if buckets.count >= capacity {
            buckets = buckets.filter { !$0.value.isFull(now: now) }
            if buckets.count >= capacity { return refillSeconds }
        }
        var bucket = TokenBucket(burst: burst, refillSeconds: refillSeconds, now: now)
        let wait = bucket.take(now: now)
        buckets[key] = bucket
        precondition(buckets.count <= capacity)
        return wait
    }
}
