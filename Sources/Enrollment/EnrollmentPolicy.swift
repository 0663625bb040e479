/// The admission policy of the enrollment server (RFC 6940 §13.6.2:
/// "It allows the enrollment server to limit the number of Node-IDs issued to any individual
/// user ... provided that the enrollment server uses strict rate-limiting policies").
public struct EnrollmentPolicy: Equatable {
    /// Validity of issued certificates (RFC 6940 §13.3: "certificate lifetimes SHOULD be
    /// chosen to balance the compromise window versus the cost of certificate renewal").
    public var certificateLifetimeSeconds: Int64 = 30 * 86_400
    /// Node-IDs one user may receive over all time, unless the user's line says otherwise.
    public var maxNodeIdsPerUser = 4
    /// Node-IDs in one certificate (the "nodeids" count of one request).
    public var maxNodeIdsPerRequest = 4
    /// Per-user token bucket: `userRateBurst` attempts at once, one more every
    /// `userRateRefillSeconds`. Failed password attempts count too.
    public var userRateBurst = 5
    public var userRateRefillSeconds: Int64 = 600
    /// Per-source-address token bucket.
    public var addressRateBurst = 10
    public var addressRateRefillSeconds: Int64 = 60
    /// A certificate may be renewed (same Node-IDs, no password) from this share of its
    /// validity on, once: the later it opens, the fewer ledger records a holder can cause.
    public var renewalOpensPercent: Int64 = 50

    public init() {}

    /// Ranges the accounts file may set.
    static let lifetimeRange: ClosedRange<Int64> = 3600...(10 * 365 * 86_400)
    static let countRange = 1...1_000_000
    static let burstRange = 1...10_000
    static let refillRange: ClosedRange<Int64> = 1...86_400
    static let renewalOpensRange: ClosedRange<Int64> = 0...99
}
