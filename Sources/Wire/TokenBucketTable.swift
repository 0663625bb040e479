/// A token bucket per key (a source address, a user name): each holds at most `burst` tokens
/// and gains `tokensPerPeriod` of them every `periodMilliseconds` (so many a minute, or one
/// every so many milliseconds); a request takes one or is refused. The table has a fixed
/// capacity (WireGuard ratelimiter.c): a bucket that has filled up again is the same as none
/// and is forgotten when room is needed; if none has, `whenFull` says: the least recently used
/// bucket goes (its source starts again with a full bucket, which an attacker with that many
/// addresses has anyway), or the new key is refused (fail closed: the enrollment server).
/// Time is an argument, to the millisecond: the wall clock (the SIP front's per-address
/// budgets, the Node's connect budget per requester, the enrollment server's limits) or the
/// monotonic clock (Link's handshakes per host); one table keeps to one of them.
public struct TokenBucketTable {
    struct Bucket {
        /// Tokens in thousandths, as of `updated`.
        var milliTokens: Int64
        /// Milliseconds on the table's clock.
        var updated: Int64
    }

    /// What a new key gets when every bucket of a full table still holds information.
    public enum WhenFull: Equatable, Sendable {
        case forgetLeastRecentlyUsed
        case refuseNewKeys
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
    public let whenFull: WhenFull
    private(set) var buckets: [[UInt8]: Bucket] = [:]

    /// The largest rate a minute, refill time and burst a table takes (see `refilled` for
    /// why their products cannot overflow).
    public static let maximumRatePerMinute = 6000
    public static let maximumRefillMilliseconds = 86_400_000
    public static let maximumBurst = 10_000

    static let scale: Int64 = 1000
    static let millisecondsPerMinute: Int64 = 60_000

    /// `burst`, then `ratePerMinute` tokens a minute.
    public init(capacity: Int, ratePerMinute: Int, burst: Int, whenFull: WhenFull = .forgetLeastRecentlyUsed) {
        precondition(ratePerMinute > 0 && ratePerMinute <= TokenBucketTable.maximumRatePerMinute)
        self.init(
            capacity: capacity, tokens: Int64(ratePerMinute), periodMilliseconds: TokenBucketTable.millisecondsPerMinute, burst: burst,
            whenFull: whenFull)
    }

    /// `burst`, then one token every `refillMilliseconds`.
    public init(capacity: Int, refillMilliseconds: Int, burst: Int, whenFull: WhenFull = .forgetLeastRecentlyUsed) {
        precondition(refillMilliseconds > 0 && refillMilliseconds <= TokenBucketTable.maximumRefillMilliseconds)
        self.init(capacity: capacity, tokens: 1, periodMilliseconds: Int64(refillMilliseconds), burst: burst, whenFull: whenFull)
    }

    init(capacity: Int, tokens: Int64, periodMilliseconds: Int64, burst: Int, whenFull: WhenFull) {
        precondition(capacity > 0 && burst > 0 && burst <= TokenBucketTable.maximumBurst)
        self.capacity = capacity
        self.tokensPerPeriod = tokens
        self.periodMilliseconds = periodMilliseconds
        self.burst = Int64(burst)
        self.whenFull = whenFull
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
        if buckets[key] == nil, buckets.count >= capacity {
            makeRoom(now: now)
            if buckets.count >= capacity { return refusal(missing: TokenBucketTable.scale) }
        }
        // `updated` moves only with what the bucket gained (`refilled`): frequent requests
        // lose no fraction of a token between them.
        var bucket = buckets[key].map { refilled($0, now: now) } ?? Bucket(milliTokens: burst * TokenBucketTable.scale, updated: now)
        guard bucket.milliTokens >= TokenBucketTable.scale else {
            buckets[key] = bucket
            return refusal(missing: TokenBucketTable.scale - bucket.milliTokens)
        }
        bucket.milliTokens -= TokenBucketTable.scale
        buckets[key] = bucket
        precondition(buckets.count <= capacity)
        return .admitted
    }

    /// When `missing` thousandths of a token will have come, in whole seconds (at least 1).
    func refusal(missing: Int64) -> Decision {
        // In milliseconds at tokensPerPeriod a period, up; then in seconds, up.
        let unit = tokensPerPeriod * TokenBucketTable.scale
        let milliseconds = (missing * periodMilliseconds + unit - 1) / unit
        return .refused(retryAfterSeconds: max(1, (milliseconds + 999) / 1000))
    }

    /// Drops the buckets that are full again; if none is, the least recently used one (unless
    /// the table refuses new keys instead).
    mutating func makeRoom(now: Int64) {
        let full = burst * TokenBucketTable.scale
        buckets = buckets.filter { refilled($0.value, now: now).milliTokens < full }
        guard buckets.count >= capacity, whenFull == .forgetLeastRecentlyUsed else { return }
        if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) { buckets[oldest.key] = nil }
        precondition(buckets.count < capacity)
    }

    /// The bucket with what it gained since `updated` (nothing when the clock went back).
    /// `updated` moves by the time the gained thousandths took, rounded up, so the rest of
    /// the elapsed time counts next time: requests closer together than a thousandth of a
    /// token lose nothing, and rounding never favours the requester.
    func refilled(_ bucket: Bucket, now: Int64) -> Bucket {
        // Capped at period × burst, enough to fill an empty bucket: with one token a period
        // at most a day × 10,000 = 8.6e11 ms; with a rate a minute at most 6e8 ms, times
        // 6000 tokens. Times the scale, both stay below 4e15, far from Int64.max.
        let elapsed = min(max(0, now - bucket.updated), periodMilliseconds * burst)
        let unit = tokensPerPeriod * TokenBucketTable.scale
        let gained = elapsed * unit / periodMilliseconds
        guard gained > 0 else { return bucket }
        let full = burst * TokenBucketTable.scale
        if bucket.milliTokens + gained >= full { return Bucket(milliTokens: full, updated: now) }
        let used = (gained * periodMilliseconds + unit - 1) / unit
        return Bucket(milliTokens: bucket.milliTokens + gained, updated: bucket.updated + used)
    }
}
