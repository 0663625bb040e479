import Wire

/// A token bucket in integer arithmetic: `burst` tokens at most, one token more every
/// `refillSeconds`; each attempt takes one. Time is an argument (the wall clock); the bucket
/// refills per whole second of it.
public struct TokenBucket: Equatable {
    public let burst: Int64
    public let refillSeconds: Int64
    /// Tokens in thousandths, as of `updated`.
    private(set) var milliTokens: Int64
    private(set) var updated: WallTime

    static let scale: Int64 = 1000

    /// A full bucket.
    public init(burst: Int, refillSeconds: Int64, now: WallTime) {
        precondition(burst >= 1 && refillSeconds >= 1)
        self.burst = Int64(burst)
        self.refillSeconds = refillSeconds
        milliTokens = Int64(burst) * TokenBucket.scale
        updated = now
    }

    mutating func refill(now: WallTime) {
        // A clock that went backwards refills nothing (and does not drain either). Whole seconds
        // of the clock count, so that frequent takes do not each lose a fraction of a second.
        let elapsedSeconds = now.secondsSince1970 - updated.secondsSince1970
        guard elapsedSeconds > 0 else { return }
        let elapsed = min(elapsedSeconds, refillSeconds * burst)
        milliTokens = min(burst * TokenBucket.scale, milliTokens + elapsed * TokenBucket.scale / refillSeconds)
        updated = now
    }

    /// Takes one token: nil if there was one, else the seconds until there will be.
    public mutating func take(now: WallTime) -> Int64? {
        refill(now: now)
        if milliTokens >= TokenBucket.scale {
            milliTokens -= TokenBucket.scale
            return nil
        }
        let missing = TokenBucket.scale - milliTokens
        return (missing * refillSeconds + TokenBucket.scale - 1) / TokenBucket.scale
    }

    /// True when the bucket would be full at `now`: it carries no information and may be dropped.
    public func isFull(now: WallTime) -> Bool {
        var copy = self
        copy.refill(now: now)
        return copy.milliTokens >= burst * TokenBucket.scale
    }
}
