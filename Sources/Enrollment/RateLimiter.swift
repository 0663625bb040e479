import Wire

/// Token buckets keyed by bytes (a user name, a source address): `burst` attempts at once,
/// then one more every `refillSeconds`, in Wire's TokenBucketTable of fixed capacity, so tables
/// keyed by network input never grow past their limit. When the table is full, buckets that
/// have refilled completely are dropped (they hold no information); if none has, the attempt
/// is refused: the server fails closed.
public struct RateLimiter {
    private(set) var table: TokenBucketTable

    /// `burst` within EnrollmentPolicy.burstRange, `refillSeconds` within its refillRange.
    public init(capacity: Int = EnrollmentLimits.rateLimiterCapacity, burst: Int, refillSeconds: Int64) {
        table = TokenBucketTable(
            capacity: capacity, refillMilliseconds: Int(refillSeconds) * 1000, burst: burst, whenFull: .refuseNewKeys)
    }

    public var capacity: Int { table.capacity }
    public var count: Int { table.count }

    /// Takes a token for `key`: nil if allowed, else the seconds to wait.
    public mutating func take(_ key: [UInt8], now: WallTime) -> Int64? {
        switch table.admit(key, now: now) {
        case .admitted: return nil
        case .refused(let seconds): return seconds
        }
    }
}
