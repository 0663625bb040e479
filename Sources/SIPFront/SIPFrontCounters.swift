/// What the SIP front refused, by cause (shown by `p2psip status`); each counts answers sent.
public struct SIPFrontCounters: Equatable, Sendable {
    /// REGISTERs over their source's budget: 503 with Retry-After.
    public var registersRateLimited: UInt64 = 0
    /// INVITEs and other requests outside a dialog over their source's budget: 503.
    public var requestsRateLimited: UInt64 = 0
    /// Digest credentials checked and wrong (wrong password, unknown user, bad realm...).
    public var digestFailures: UInt64 = 0
    /// REGISTERs refused unchecked: their source is in a Digest failure penalty.
    public var refusedSourcePenalty: UInt64 = 0
    /// REGISTERs refused unchecked: their user name is in a Digest failure penalty.
    public var refusedUserPenalty: UInt64 = 0

    public init() {}
}
