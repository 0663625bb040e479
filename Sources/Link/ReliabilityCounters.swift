/// What Simple Reliability did on one link (for `p2psip status` and the tests).
public struct ReliabilityCounters: Equatable, Sendable {
    /// Data frames sent: first transmissions and retransmissions.
    public var framesSent: UInt64 = 0
    /// Data frames sent again because the RTO expired (each with a new sequence number).
    public var retransmissions: UInt64 = 0
    /// Messages the peer acknowledged (any transmission of them).
    public var messagesAcknowledged: UInt64 = 0
    /// Messages given up after `LinkLimits.rfcTransmissionsPerMessage` transmissions.
    public var messagesFailed: UInt64 = 0
    /// Messages refused because the send queue was full.
    public var queueRefusals: UInt64 = 0
    /// Data frames received and handed up, and copies not handed up (hop-by-hop
    /// retransmissions of a message already delivered).
    public var messagesDelivered: UInt64 = 0
    public var duplicatesDropped: UInt64 = 0
    public var acksSent: UInt64 = 0
    public var acksReceived: UInt64 = 0
    /// ACKs for a sequence number we did not send recently (late, or a confused peer).
    public var acksUnmatched: UInt64 = 0
    /// Records from the peer that are not a FramedMessage (§6.6.2).
    public var framesMalformed: UInt64 = 0

    public init() {}
}
