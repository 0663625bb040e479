/// What the owner of a `SimpleReliability` must do, in order.
public enum ReliabilityAction: Equatable {
    /// Send this encoded FramedMessage (data or ACK) to the peer, as one DTLS record.
    case transmit([UInt8])
    /// A message from the peer (a whole RELOAD message or a fragment), first copy.
    case deliver([UInt8])
    /// §6.6.3.1: no ACK through three retransmissions: the link is likely failing; take it out
    /// of the routing table. It keeps trying until the message gives up.
    case unresponsive
    /// ACKs came back after `unresponsive`: the link MAY return to the routing table.
    case responsive
    /// The unacknowledged message was sent five times without an ACK: close the link
    /// (§6.6.3.1 "the sending node SHOULD close the connection").
    case gaveUp
}
