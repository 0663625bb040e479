import Reload
import Wire

/// One application connection (RFC 6940 §6.5.2 AppAttach): a DTLS 1.2 session whose records
/// each carry one application datagram, e.g. one SIP message (RFC 7904 §5.1: "the Peer sends
/// plain or (D)TLS-encrypted SIP messages over the connection as in normal SIP"). No RELOAD
/// framing and no Simple Reliability: the application retransmits (SIP over UDP, RFC 3261
/// §17.1.1.2). Owned by `AppLinkManager`.
final class AppLink {
    let session: SecureSession
    let isOutbound: Bool
    /// Datagrams sent while the handshake runs, sent when it completes.
    var queue: [[UInt8]] = []
    /// The accepted session's first actions (the server's flight), performed at start.
    var pendingActions: [SecureSessionAction]
    /// Outbound: the random of our ClientHello; inbound: the peer's (simultaneous opens and
    /// late copies, as `LinkManager` does).
    var helloRandom: [UInt8]? = nil
    /// When a datagram was last delivered (or the connection was made).
    var lastDelivered: Instant
    /// The first datagram sent `expectingReply` since the last delivery.
    var awaitingReplySince: Instant? = nil
    /// The Node-ID the other end must prove, when we opened it for one (RFC 6940 §6.5.1.11).
    var expectedNodeId: NodeId? = nil
    /// Who the owner found at the other end (`AppLinkManager.bind`), once it did.
    var peer: LinkPeer? = nil

    init(session: SecureSession, outbound: Bool, pendingActions: [SecureSessionAction], now: Instant) {
        self.session = session
        isOutbound = outbound
        self.pendingActions = pendingActions
        lastDelivered = now
    }

    var isEstablished: Bool { session.state == .established }

    /// When `AppLinkManager.tick` has work for this connection.
    func nextDeadline(_ configuration: AppLinkConfiguration) -> Instant? {
        switch session.state {
        case .handshaking:
            return session.nextDeadline
        case .established:
            let idle = lastDelivered.adding(milliseconds: configuration.idleTimeoutMilliseconds)
            guard let since = awaitingReplySince else { return idle }
            return min(idle, since.adding(milliseconds: configuration.replyTimeoutMilliseconds))
        case .closed, .failed:
            return nil
        }
    }
}
