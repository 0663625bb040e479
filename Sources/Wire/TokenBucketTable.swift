/// A token bucket per key (a source address): each holds at most `burst` tokens and gains
/// `tokensPerPeriod` of them every `periodMilliseconds` (so many a minute, or one every so
/// many milliseconds); a request takes one or is refused. The table has a fixed capacity
/// (WireGuard ratelimiter.c): a bucket that has filled up again is the same as none and is
/// forgotten when room is needed; if none has, the least recently used bucket goes (its source
/// starts again with a full bucket, which an attacker with that many addresses has anyway).
/// Time is an argument, to the millisecond: the wall clock (the SIP front's per-address
/// budgets, the Node's connect budget per requester) or the monotonic clock (Link's
/// handshakes per host); one table keeps to one of them.
public struct TokenBucketTable {
    struct Bucket {
        /// Tokens in thousandths, as of `updated`.
        var milliTokens: Int64
        /// Milliseconds on the table's clock.
        var updated: Int64
    }

    public enum Decision: Equatable, Sendable {
        case admitted
        /// Refused: the next token comes in this many whole seconds (at least 1), for a
        /// Retry-After.
        case refused(retryAfterSeconds: Int64)
    }

    public let capacity: Int
    public let tokensPerPeriod: Int64
    public let periodMilliseconds: Int64
    public let burst: Int64
    private(set) var buckets: [[UInt8]: Bucket] = [:]

    /// The largest rate a minute, refill time and burst a table takes (see `refilled` for
    /// why their products cannot overflow).
    public static let maximumRatePerMinute = 6000
    public static let maximumRefillMilliseconds = 86_400_000
    public static let maximumBurst = 1024

    static let scale: Int64 = 1000
    static let millisecondsPerMinute: Int64 = 60_000

    /// `burst`, then `ratePerMinute` tokens a minute.
    public init(capacity: Int, ratePerMinute: Int, burst: Int) {
        precondition(ratePerMinute > 0 && ratePerMinute <= TokenBucketTable.maximumRatePerMinute)
        self.init(capacity: capacity, tokens: Int64(ratePerMinute), periodMilliseconds: TokenBucketTable.millisecondsPerMinute, burst: burst)
    }

    /// `burst`, then one token every `refillMilliseconds`.
    public init(capacity: Int, refillMilliseconds: Int, burst: Int) {
        precondition(refillMilliseconds > 0 && refillMilliseconds <= TokenBucketTable.maximumRefillMilliseconds)
        self.init(capacity: capacity, tokens: 1, periodMilliseconds: Int64(refillMilliseconds), burst: burst)
    }

    init(capacity: Int, tokens: Int64, periodMilliseconds: Int64, burst: Int) {
        precondition(capacity > 0 && burst > 0 && burst <= TokenBucketTable.maximumBurst)
        self.capacity = capacity
        self.tokensPerPeriod = tokens
        self.periodMilliseconds = periodMilliseconds
        self.burst = Int64(burst)
    }

    public var count: Int { buckets.count }

    /// Takes a token of `key`'s bucket, or says when the next one comes (wall clock).
    public mutating func admit(_ key: [UInt8], now: WallTime) -> Decision {
        admit(key, milliseconds: Int64(clamping: now.millisecondsSince1970))
    }

    /// Takes a token of `key`'s bucket, or says when the next one comes (monotonic clock).
    public mutating func admit(_ key: [UInt8], now: Instant) -> Decision {
        admit(key, milliseconds: Int64(clamping: now.nanoseconds / 1_000_000))
    }

    /// True when `key`'s bucket has a token now (a key without a bucket has a full one);
    /// takes nothing.
    public func hasToken(_ key: [UInt8], now: Instant) -> Bool {
        guard let bucket = buckets[key] else { return true }
        return refilled(bucket, now: Int64(clamping: now.nanoseconds / 1_000_000)).milliTokens >= TokenBucketTable.scale
    }

    mutating func admit(_ key: [UInt8], milliseconds now: Int64) -> Decision {
        if buckets[key] == nil, buckets.count >= capacity { makeRoom(now: now) }
        var bucket = buckets[key].map { refilled($0, now: now) } ?? Bucket(milliTokens: burst * TokenBucketTable.scale, updated: now)
        bucket.updated = max(bucket.updated, now)
        guard bucket.milliTokens >= TokenBucketTable.scale else {
            buckets[key] = bucket
            let missing = TokenBucketTable.scale - bucket.milliTokens
            // missing thousandths of a token at tokensPerPeriod a period, in milliseconds, up;
            // then in seconds, up.
            let unit = tokensPerPeriod * TokenBucketTable.scale
            let milliseconds = (missing * periodMilliseconds + unit - 1) / unit
            return .refused(retryAfterSeconds: max(1, (milliseconds + 999) / 1000))
        }
        bucket.milliTokens -= TokenBucketTable.scale
        buckets[key] = bucket
        precondition(buckets.count <= capacity)
        return .admitted
    }

    /// Drops the buckets that are full again; if none is, the least recently used one.
    mutating func makeRoom(now: Int64) {
        let full = burst * TokenBucketTable.scale
        buckets = buckets.filter { refilled($0.value, now: now).milliTokens < full }
        guard buckets.count >= capacity else { return }
        if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) { buckets[oldest.key] = nil }
        precondition(buckets.count < capacity)
    }

    /// The bucket with what it gained since `updated` (nothing when the clock went back).
    func refilled(_ bucket: Bucket, now: Int64) -> Bucket {
        // Capped at period × burst, enough to fill an empty bucket: with one token a period
        // at most a day × 1024 = 8.8e10 ms; with a rate a minute at most 6.1e7 ms, times
        // 6000 tokens. Times the scale, both stay below 4e17 < Int64.max.
        let elapsed = min(max(0, now - bucket.updated), periodMilliseconds * burst)
        let gained = elapsed * tokensPerPeriod * TokenBucketTable.scale / periodMilliseconds
        guard gained > 0 else { return bucket }
        return Bucket(milliTokens: min(bucket.milliTokens + gained, burst * TokenBucketTable.scale), updated: now)
    }
}
