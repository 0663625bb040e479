/// What the owner of an `OverlayLink` must do after a call, in order.
public enum LinkEvent: Equatable {
    /// Send this datagram to the peer's address.
    case transmit([UInt8])
    /// The DTLS handshake completed: the peer holds the key of this chain's first certificate.
    /// When the DTLS configuration defers trust to its owner (self-signed overlays), the owner
    /// checks the chain (and the Node-ID in it) now, and calls `close` if it refuses it; events
    /// after this one in the same list are then to be ignored.
    case established(PeerCertificateChain)
    /// One whole RELOAD message from the peer (fragments reassembled), exactly once.
    case delivered([UInt8])
    /// RFC 6940 §6.6.3.1: three retransmissions without an ACK; the link is likely failing:
    /// take it out of the routing table. It stays open and keeps trying.
    case unresponsive
    /// ACKs came back after `unresponsive`: the link MAY go back into the routing table.
    case responsive
    /// An NSS key log line (DTLS configurations with key logging), for `--keylog FILE`.
    case keyLog(String)
    /// The link failed and is over (final); queued messages were discarded.
    case failed(LinkFailure)
    /// The link was closed, by us or by the peer (final); queued messages were discarded.
    case closed
}
