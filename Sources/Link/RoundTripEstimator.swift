import Wire

/// RFC 6298 §2's retransmission timeout from RTT samples, in integer microseconds, as RFC 6940
/// §6.6.3.1 asks for a dynamic RTO: rounded up to the millisecond, not to the second. Every
/// ACK gives a sample (retransmissions have their own sequence numbers, so an ACK is never
/// ambiguous and Karn's rule does not apply). Bounded by the configuration's minimum and
/// maximum; with `adaptive` false the RTO stays at its initial value.
public struct RoundTripEstimator: Equatable, Sendable {
    public let adaptive: Bool
    let minimumMilliseconds: UInt64
    let maximumMilliseconds: UInt64
    /// SRTT and RTTVAR; nil before the first sample.
    public private(set) var smoothedMicroseconds: UInt64? = nil
    public private(set) var variationMicroseconds: UInt64 = 0
    public private(set) var samples: UInt64 = 0
    /// The RTO a new message starts with.
    public private(set) var retransmissionTimeoutMilliseconds: UInt64

    public init(_ configuration: ReliabilityConfiguration) {
        precondition(configuration.problem == nil)
        adaptive = configuration.adaptive
        minimumMilliseconds = configuration.minimumRetransmissionTimeoutMilliseconds
        maximumMilliseconds = configuration.maximumRetransmissionTimeoutMilliseconds
        retransmissionTimeoutMilliseconds = configuration.initialRetransmissionTimeoutMilliseconds
    }

    /// The smoothed RTT rounded to the millisecond, for status lines; nil before a sample.
    public var smoothedMilliseconds: UInt64? {
        guard let smoothedMicroseconds else { return nil }
        return (smoothedMicroseconds + 500) / 1_000
    }

    /// One measured round trip (from sending a data frame to its ACK).
    public mutating func sample(sentAt: Instant, acknowledgedAt now: Instant) {
        let nanoseconds = now.nanoseconds >= sentAt.nanoseconds ? now.nanoseconds - sentAt.nanoseconds : 0
        // Bounded so the arithmetic below cannot overflow (an hour is far beyond any RTO).
        let rtt = min(nanoseconds / 1_000, 3_600_000_000)
        samples += 1
        if let smoothed = smoothedMicroseconds {
            // (2.3): RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|, then SRTT <- 7/8 SRTT + 1/8 R'.
            let difference = smoothed > rtt ? smoothed - rtt : rtt - smoothed
            variationMicroseconds = (3 * variationMicroseconds + difference) / 4
            smoothedMicroseconds = (7 * smoothed + rtt) / 8
        } else {
            // (2.2): SRTT <- R, RTTVAR <- R/2.
            smoothedMicroseconds = rtt
            variationMicroseconds = rtt / 2
        }
        guard adaptive, let smoothed = smoothedMicroseconds else { return }
        let spread = max(LinkLimits.rfc6298GranularityMicroseconds, LinkLimits.rfc6298VarianceFactor * variationMicroseconds)
        let milliseconds = (smoothed + spread + 999) / 1_000
        retransmissionTimeoutMilliseconds = min(max(milliseconds, minimumMilliseconds), maximumMilliseconds)
    }

    /// (5.5) "back off the timer": the wait after `retransmissions` retransmissions of one message.
    public func backedOff(retransmissions: Int) -> UInt64 {
        var timeout = retransmissionTimeoutMilliseconds
        for _ in 0..<min(retransmissions, 32) where timeout < maximumMilliseconds { timeout *= 2 }
        return min(timeout, maximumMilliseconds)
    }
}
