/// The sender's choices for RFC 6940 §6.6.3.1 Simple Reliability on one link. What the RFC
/// fixes (5 transmissions, 3 retransmissions before the link is suspected, the 10 ms gap after
/// an ACK, the 32-message ACK window) lives in `LinkLimits` as `rfc*` constants and is not
/// configurable.
public struct ReliabilityConfiguration: Equatable, Sendable {
    /// The RTO before the first RTT measurement, and always when `adaptive` is false
    /// (§6.6.3.1: 500 ms by default; "MAY use smaller values ... within the local network").
    public var initialRetransmissionTimeoutMilliseconds: UInt64
    /// Bounds on the RTO, the RFC 6298 estimate and its doubling alike.
    public var minimumRetransmissionTimeoutMilliseconds: UInt64
    public var maximumRetransmissionTimeoutMilliseconds: UInt64
    /// True: RFC 6298 estimate from every ACK (§6.6.3.1 "MUST use the algorithm described in
    /// RFC 6298" for a dynamic RTO). False: the static initial RTO.
    public var adaptive: Bool
    /// Messages (or fragments) waiting to be sent; beyond it `send` is refused and counted.
    public var sendQueueCapacity: Int
    /// How long after a delivery a copy of the message is taken for a hop-by-hop retransmission
    /// and not delivered (`DuplicateFilter`, `LinkLimits.defaultDuplicateWindowMilliseconds`);
    /// 0 turns this off: every copy is delivered, as a strict reading of §6.6.3 has it.
    public var duplicateWindowMilliseconds: UInt64

    public init(
        initialRetransmissionTimeoutMilliseconds: UInt64 = LinkLimits.rfcInitialRetransmissionTimeoutMilliseconds,
        minimumRetransmissionTimeoutMilliseconds: UInt64 = LinkLimits.defaultMinimumRetransmissionTimeoutMilliseconds,
        maximumRetransmissionTimeoutMilliseconds: UInt64 = LinkLimits.rfc6298MaximumRetransmissionTimeoutMilliseconds,
        adaptive: Bool = true,
        sendQueueCapacity: Int = LinkLimits.defaultSendQueueCapacity,
        duplicateWindowMilliseconds: UInt64 = LinkLimits.defaultDuplicateWindowMilliseconds
    ) {
        self.initialRetransmissionTimeoutMilliseconds = initialRetransmissionTimeoutMilliseconds
        self.minimumRetransmissionTimeoutMilliseconds = minimumRetransmissionTimeoutMilliseconds
        self.maximumRetransmissionTimeoutMilliseconds = maximumRetransmissionTimeoutMilliseconds
        self.adaptive = adaptive
        self.sendQueueCapacity = sendQueueCapacity
        self.duplicateWindowMilliseconds = duplicateWindowMilliseconds
    }

    /// nil when usable, else what is wrong (the caller turns it into a configuration error).
    public var problem: String? {
        if minimumRetransmissionTimeoutMilliseconds == 0 { return "minimum RTO of 0 ms" }
        if minimumRetransmissionTimeoutMilliseconds > initialRetransmissionTimeoutMilliseconds
            || initialRetransmissionTimeoutMilliseconds > maximumRetransmissionTimeoutMilliseconds {
            return "RTOs must satisfy minimum <= initial <= maximum"
        }
        if maximumRetransmissionTimeoutMilliseconds > 10 * LinkLimits.rfc6298MaximumRetransmissionTimeoutMilliseconds {
            return "maximum RTO over 600 s"
        }
        if duplicateWindowMilliseconds > LinkLimits.rfc6298MaximumRetransmissionTimeoutMilliseconds {
            return "duplicate window over 60 s"
        }
        if sendQueueCapacity < 1 || sendQueueCapacity > LinkLimits.maximumSendQueueCapacity {
            return "send queue capacity \(sendQueueCapacity) (1...\(LinkLimits.maximumSendQueueCapacity))"
        }
        return nil
    }
}
