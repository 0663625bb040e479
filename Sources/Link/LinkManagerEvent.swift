import Reload

/// What the owner of a `LinkManager` (the Node, through the event loop) must do after a call,
/// in order. Every event names the peer's address.
public enum LinkManagerEvent: Equatable {
    /// Send this datagram to `to` from the overlay socket.
    case transmit([UInt8], to: PeerAddress)
    /// A link is up: the peer at the address proved it holds the key of the chain's first
    /// certificate. `inbound` is true when the peer started the handshake (also after our
    /// `connect` when both sides connected at once and the peer's handshake won). With trust
    /// deferred to the owner, check the chain and its Node-ID now (the link's
    /// `expectedNodeId`), then `bind` it, or `close` it if refused.
    case established(PeerAddress, PeerCertificateChain, inbound: Bool)
    /// One whole RELOAD message from the peer at the address, exactly once.
    case delivered([UInt8], from: PeerAddress)
    /// RFC 6940 §6.6.3.1: the link is likely failing (three retransmissions without an ACK):
    /// take it out of the routing table. It stays open and keeps trying.
    case unresponsive(PeerAddress)
    /// ACKs came back: the link MAY go back into the routing table.
    case responsive(PeerAddress)
    /// The link failed and was removed; its slot is free and its queued messages are gone.
    case failed(PeerAddress, LinkFailure, LinkEnding)
    /// The link was closed (by us or the peer) and removed.
    case closed(PeerAddress, LinkEnding)
    /// An NSS key log line, for `--keylog FILE`.
    case keyLog(String)
}

/// The identity a link was bound to (`LinkManager.bind`): its number, by which the Node knows
/// it, and who proved to be at the other end.
public struct LinkPeer: Equatable {
    public let number: Int
    public let identity: AuthenticatedPeer
}

/// What a link that ended was: bound to a peer, or still waiting for the Node-ID it was
/// opened for (the Node asked for a connection that did not come about).
public struct LinkEnding: Equatable {
    public let peer: LinkPeer?
    public let expectedNodeId: NodeId?
    /// We asked for the link (`connect`) and it never got bound.
    public let wasConnecting: Bool

    public init(peer: LinkPeer?, expectedNodeId: NodeId?, wasConnecting: Bool) {
        self.peer = peer
        self.expectedNodeId = expectedNodeId
        self.wasConnecting = wasConnecting
    }

    static func of(_ link: OverlayLink) -> LinkEnding {
        LinkEnding(peer: link.peer, expectedNodeId: link.expectedNodeId, wasConnecting: link.requestedByOwner && link.peer == nil)
    }
}
