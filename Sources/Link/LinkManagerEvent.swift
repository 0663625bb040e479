/// What the owner of a `LinkManager` (the Node, through the event loop) must do after a call,
/// in order. Every event names the peer's address.
public enum LinkManagerEvent: Equatable {
    /// Send this datagram to `to` from the overlay socket.
    case transmit([UInt8], to: PeerAddress)
    /// A link is up: the peer at the address proved it holds the key of the chain's first
    /// certificate. `inbound` is true when the peer started the handshake (also after our
    /// `connect` when both sides connected at once and the peer's handshake won). With trust
    /// deferred to the owner, check the chain and its Node-ID now, and `close` if refused.
    case established(PeerAddress, PeerCertificateChain, inbound: Bool)
    /// One whole RELOAD message from the peer at the address, exactly once.
    case delivered([UInt8], from: PeerAddress)
    /// RFC 6940 §6.6.3.1: the link is likely failing (three retransmissions without an ACK):
    /// take it out of the routing table. It stays open and keeps trying.
    case unresponsive(PeerAddress)
    /// ACKs came back: the link MAY go back into the routing table.
    case responsive(PeerAddress)
    /// The link failed and was removed; its slot is free and its queued messages are gone.
    case failed(PeerAddress, LinkFailure)
    /// The link was closed (by us or the peer) and removed.
    case closed(PeerAddress)
    /// An NSS key log line, for `--keylog FILE`.
    case keyLog(String)
}
