/// What an overlay link did with whole messages (frame-level counts are in
/// `ReliabilityCounters`, record-level ones in `SecureSessionCounters`).
public struct OverlayLinkCounters: Equatable, Sendable {
    /// Messages `send` accepted, and the frames they became (more when fragmented).
    public var messagesAccepted: UInt64 = 0
    public var framesQueued: UInt64 = 0
    /// Whole messages delivered; of them, reassembled from fragments.
    public var messagesDelivered: UInt64 = 0
    public var messagesReassembled: UInt64 = 0
    /// Received messages not delivered: no RELOAD forwarding header, or a fragment §6.7's
    /// reassembly refused (out of buffer space, conflicting, too large).
    public var messagesDropped: UInt64 = 0
    /// Incomplete messages dropped after 15 s (§6.7).
    public var reassemblyTimeouts: UInt64 = 0
    /// ClientHello records that reached the link after its handshake (late copies of the
    /// opening one, forgeries), dropped before mbedTLS.
    public var clientHellosDropped: UInt64 = 0
    /// Frames that were queued or unacknowledged when the link ended.
    public var framesDiscarded: UInt64 = 0

    public init() {}
}
