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
    /// The datagrams sent `expectingReply` since the last delivery (at most
    /// `unansweredLimit`, the oldest dropped), sent again at `retransmitAt` with RFC 3261's
    /// Timer A schedule (T1 = 500 ms, doubling to T2 = 4 s, §17.1.1.2) until the other end
    /// sends anything. A DTLS connection is an unreliable transport: a record can be lost, or
    /// overtake the handshake's last flight and be dropped by the other end (RFC 6347 §4.1:
    /// records of a future epoch MAY be discarded); a proxy that forwards over it must send
    /// its requests again itself, the phone's retransmissions end at its server transaction.
    var unanswered: [[UInt8]] = []
    var retransmitAt: Instant? = nil
    var retransmitInterval: UInt64 = AppLink.firstRetransmitMilliseconds
    static let firstRetransmitMilliseconds: UInt64 = 500
    static let lastRetransmitMilliseconds: UInt64 = 4_000
    static let unansweredLimit = 8
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

    /// `datagram` went out expecting a reply at `now`.
    func sentExpectingReply(_ datagram: [UInt8], now: Instant) {
        if unanswered.count >= AppLink.unansweredLimit { unanswered.removeFirst() }
        unanswered.append(datagram)
        if retransmitAt == nil {
            retransmitInterval = AppLink.firstRetransmitMilliseconds
            retransmitAt = now.adding(milliseconds: retransmitInterval)
        }
    }

    /// The other end sent something: what we sent arrived.
    func heardFrom(at now: Instant) {
        lastDelivered = now
        awaitingReplySince = nil
        unanswered.removeAll()
        retransmitAt = nil
    }

    /// When `AppLinkManager.tick` has work for this connection.
    func nextDeadline(_ configuration: AppLinkConfiguration) -> Instant? {
        switch session.state {
        case .handshaking:
            return session.nextDeadline
        case .established:
            let idle = lastDelivered.adding(milliseconds: configuration.idleTimeoutMilliseconds)
            guard let since = awaitingReplySince else { return idle }
            let reply = min(idle, since.adding(milliseconds: configuration.replyTimeoutMilliseconds))
            return retransmitAt.map { min($0, reply) } ?? reply
        case .closed, .failed:
            return nil
        }
    }
}
