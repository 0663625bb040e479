/// A token bucket per key (a source address): each holds at most `burst` tokens and gains
/// `ratePerMinute` of them a minute; a request takes one or is refused. The table has a fixed
/// capacity (WireGuard ratelimiter.c): a bucket that has filled up again is the same as none
/// and is forgotten when room is needed; if none has, the least recently used bucket goes
/// (its source starts again with a full bucket, which an attacker with that many addresses
/// has anyway). Time is an argument (the wall clock, to the millisecond). The SIP front's
/// per-address budgets and the Node's connect budget per requester use it.
public struct TokenBucketTable {
    struct Bucket {
        /// Tokens in thousandths, as of `updated`.
        var milliTokens: Int64
        var updated: WallTime
    }

    public enum Decision: Equatable, Sendable {
        case admitted
        /// Refused: the next token comes in this many whole seconds (at least 1), for a
        /// Retry-After.
        case refused(retryAfterSeconds: Int64)
    }

    public let capacity: Int
    public let ratePerMinute: Int64
    public let burst: Int64
    private(set) var buckets: [[UInt8]: Bucket] = [:]

    /// The largest rate and burst a table takes (their product with a day of milliseconds
    /// stays far from overflow; see `refilled`).
    public static let maximumRatePerMinute = 6000
    public static let maximumBurst = 1000

    static let scale: Int64 = 1000
    static let millisecondsPerMinute: Int64 = 60_000

    public init(capacity: Int, ratePerMinute: Int, burst: Int) {
        precondition(capacity > 0 && ratePerMinute > 0 && burst > 0)
        precondition(ratePerMinute <= TokenBucketTable.maximumRatePerMinute && burst <= TokenBucketTable.maximumBurst)
        self.capacity = capacity
        self.ratePerMinute = Int64(ratePerMinute)
        self.burst = Int64(burst)
    }

    public var count: Int { buckets.count }

    /// Takes a token of `key`'s bucket, or says when the next one comes.
    public mutating func admit(_ key: [UInt8], now: WallTime) -> Decision {
        if buckets[key] == nil, buckets.count >= capacity { makeRoom(now: now) }
        var bucket = buckets[key].map { refilled($0, now: now) } ?? Bucket(milliTokens: burst * TokenBucketTable.scale, updated: now)
        bucket.updated = max(bucket.updated, now)
        guard bucket.milliTokens >= TokenBucketTable.scale else {
            buckets[key] = bucket
            let missing = TokenBucketTable.scale - bucket.milliTokens
            // missing thousandths of a token at ratePerMinute tokens a minute, in seconds, up.
            let milliseconds = (missing * TokenBucketTable.millisecondsPerMinute + ratePerMinute * TokenBucketTable.scale - 1)
                / (ratePerMinute * TokenBucketTable.scale)
            return .refused(retryAfterSeconds: max(1, (milliseconds + 999) / 1000))
        }
        bucket.milliTokens -= TokenBucketTable.scale
        buckets[key] = bucket
        precondition(buckets.count <= capacity)
        return .admitted
    }

    /// Drops the buckets that are full again; if none is, the least recently used one.
    mutating func makeRoom(now: WallTime) {
        let full = burst * TokenBucketTable.scale
        buckets = buckets.filter { refilled($0.value, now: now).milliTokens < full }
        guard buckets.count >= capacity else { return }
        if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) { buckets[oldest.key] = nil }
        precondition(buckets.count < capacity)
    }

    /// The bucket with what it gained since `updated` (nothing when the clock went back).
    func refilled(_ bucket: Bucket, now: WallTime) -> Bucket {
        // A day refills any bucket (burst <= maximumBurst, rate >= 1 a minute); the cap keeps
        // the product below overflow.
        let elapsed = Int64(min(now.milliseconds(since: bucket.updated), 86_400_000))
        let gained = elapsed * ratePerMinute * TokenBucketTable.scale / TokenBucketTable.millisecondsPerMinute
        guard gained > 0 else { return bucket }
        return Bucket(milliTokens: min(bucket.milliTokens + gained, burst * TokenBucketTable.scale), updated: now)
    }
}
