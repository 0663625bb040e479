/// What a DatagramListener allows one source of handshakes, so that a few hosts that answer
/// cookies (they receive at their addresses, RFC 6347 §4.2.1) cannot hold every half-open slot
/// or keep the table full, and a peer whose identity was refused does not come straight back.
public struct HandshakeSourceLimits: Equatable, Sendable {
    /// Half-open handshakes from one host (IP address, any port) at once.
    public var halfOpenPerSource: Int
    /// New handshakes one host may start in a burst, and how often it gains one more.
    public var handshakeBurst: Int
    public var handshakeRefillMilliseconds: UInt64
    /// A half-open handshake that has not completed this long after its cookie was accepted
    /// fails and frees its slot (the handshake's own time limit applies if it is shorter).
    public var halfOpenLifetimeMilliseconds: UInt64
    /// When every slot is taken, the oldest half-open handshake gives way to a new one if it is
    /// at least this old (`OldestGivesWay`).
    public var evictionMinimumAgeMilliseconds: UInt64
    /// How long a transport address whose certificate the link authenticator refused
    /// (RFC 6940 §6.5.1.11, §6.6) may start no handshake.
    public var banMilliseconds: UInt64
    /// Hosts with a token bucket, and banned addresses, remembered at once (each table).
    public var trackedSources: Int

    public init(
        halfOpenPerSource: Int = LinkLimits.defaultHalfOpenPerSource,
        handshakeBurst: Int = LinkLimits.defaultHandshakeBurstPerSource,
        handshakeRefillMilliseconds: UInt64 = LinkLimits.defaultHandshakeRefillMilliseconds,
        halfOpenLifetimeMilliseconds: UInt64 = LinkLimits.defaultHalfOpenLifetimeMilliseconds,
        evictionMinimumAgeMilliseconds: UInt64 = LinkLimits.halfOpenEvictionMinimumAgeMilliseconds,
        banMilliseconds: UInt64 = LinkLimits.defaultIdentityBanMilliseconds,
        trackedSources: Int = LinkLimits.defaultTrackedHandshakeSources
    ) {
        self.halfOpenPerSource = halfOpenPerSource
        self.handshakeBurst = handshakeBurst
        self.handshakeRefillMilliseconds = handshakeRefillMilliseconds
        self.halfOpenLifetimeMilliseconds = halfOpenLifetimeMilliseconds
        self.evictionMinimumAgeMilliseconds = evictionMinimumAgeMilliseconds
        self.banMilliseconds = banMilliseconds
        self.trackedSources = trackedSources
    }

    /// nil when usable, else what is wrong.
    public var problem: String? {
        if halfOpenPerSource < 1 || halfOpenPerSource > LinkLimits.maximumHalfOpenLimit { return "half-open per source \(halfOpenPerSource)" }
        if handshakeBurst < 1 || handshakeBurst > LinkLimits.maximumHandshakeBurstPerSource { return "handshake burst \(handshakeBurst)" }
        if handshakeRefillMilliseconds < 1 || handshakeRefillMilliseconds > LinkLimits.maximumLimitMilliseconds { return "handshake refill \(handshakeRefillMilliseconds) ms" }
        if halfOpenLifetimeMilliseconds < 1 || halfOpenLifetimeMilliseconds > LinkLimits.maximumLimitMilliseconds { return "half-open lifetime \(halfOpenLifetimeMilliseconds) ms" }
        if evictionMinimumAgeMilliseconds > halfOpenLifetimeMilliseconds { return "eviction age beyond the half-open lifetime" }
        if banMilliseconds > LinkLimits.maximumLimitMilliseconds { return "ban \(banMilliseconds) ms" }
        if trackedSources < 1 || trackedSources > LinkLimits.maximumTrackedHandshakeSources { return "tracked sources \(trackedSources)" }
        return nil
    }
}
