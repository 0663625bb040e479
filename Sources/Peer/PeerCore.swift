import Chord
import Crypto
import Link
import Node
import Reload
import SIPFront
import SIPUsage
import Storage
import Wire

/// The whole peer as a state machine with no I/O: the overlay links (Link's LinkManager:
/// DTLS, framing, Simple Reliability), the overlay node (Node's OverlayNode: routing,
/// CHORD-RELOAD, storage), the SIP usage for phones (RFC 7904) and the control requests. It
/// takes datagrams of its three sockets, control requests and the time, and returns what to
/// send, what to log and what to answer (`PeerOutput`); `nextDeadline` says when `tick` is
/// due. The peer process drives it from its poll loop; tests and the simulator drive it on a
/// simulated network and clock.
///
///     datagram -> LinkManager.receive -> (established: LinkAuthenticator, bind) -> OverlayNode.linkUp
///                                     -> (delivered) -> OverlayNode.receive -> NodeActions
///     NodeActions: send -> LinkManager.send -> .transmit(.overlay, ...); connect -> LinkManager.connect; ...
///
/// Which address, link number and Node-ID belong together is kept in one place, the
/// LinkManager's connection table (`bind`), after the link authenticator checked the chain.
public final class PeerCore<Backend: RecordBackend> {
    public let configuration: PeerCoreConfiguration
    public let links: LinkManager
    public let node: OverlayNode<Backend>
    public let sip: SIPUsage<Backend>?
    public let authenticator: LinkAuthenticator
    /// Control requests waiting for the Node (ping, route-query, storage), by request.
    var pendingControl: [RequestHandle: PendingControl] = [:]
    public internal(set) var linksRefused: UInt64 = 0
    public internal(set) var lastRefusal = ""
    var outbox: [PeerOutput] = []
    /// The revocation list's fetch schedule and state, for `status`; the driver that fetches
    /// owns the updates (nil: the peer shows no revocation list state).
    public var revocation: RevocationRefresh? = nil

    struct PendingControl {
        let connection: Int
        let what: String
    }

    public init(
        configuration: PeerCoreConfiguration, identity: NodeIdentity, verifier: IdentityVerifier, random: RandomGenerator,
        backend: Backend, now: NodeTime
    ) throws(LinkError) {
        self.configuration = configuration
        authenticator = LinkAuthenticator(verifier: verifier, ownNodeId: identity.nodeId)
        links = try PeerCore.linkManager(configuration, identity: identity, random: random, now: now.monotonic)
        // The authenticator's judgement runs inside the DTLS handshake too: an untrusted
        // certificate is refused before the handshake's expensive half (issue #16).
        try links.checkCertificatesDuringHandshake(with: authenticator)
        node = OverlayNode(
            identity: identity, configuration: configuration.node, verifier: verifier, random: random,
            ownCandidates: [configuration.advertise], bootstrapAddresses: configuration.bootstrap, now: now, backend: backend)
        if let sipConfiguration = configuration.sip {
            sip = try SIPUsage(configuration: sipConfiguration, node: node, authenticator: authenticator, random: random, now: now.monotonic)
        } else {
            sip = nil
        }
    }

    /// Trust is checked by the link authenticator, not by mbedTLS: it knows the overlay's
    /// roots, self-signed policy, revocation list and bad nodes (§11.3, §11.3.1), and the
    /// Node-ID the Node expects on the link.
    static func linkManager(
        _ configuration: PeerCoreConfiguration, identity: NodeIdentity, random: RandomGenerator, now: Instant
    ) throws(LinkError) -> LinkManager {
        let (client, server) = try SecureSessionConfiguration.peerPair(
            certificateDER: identity.certificateChain[0], privateKey: identity.privateKey, random: random, keyLog: configuration.keyLog)
        let linkConfiguration = LinkManagerConfiguration(
            client: client, server: server, link: OverlayLinkConfiguration(codec: configuration.node.codec),
            maximumLinks: configuration.maximumLinks, maximumHandshakes: configuration.maximumHandshakes,
            sourceLimits: configuration.handshakeSourceLimits)
        if let problem = linkConfiguration.problem { throw LinkError.invalidConfiguration(problem) }
        return try LinkManager(configuration: linkConfiguration, now: now)
    }

    public var nodeId: NodeId { node.nodeId }

    /// Returns and clears what the last calls asked for.
    func drain() -> [PeerOutput] {
        let outputs = outbox
        outbox.removeAll(keepingCapacity: true)
        return outputs
    }

    func log(_ level: LogLevel, _ text: String) {
        outbox.append(.log(level, text))
    }

    /// Joins the overlay (or starts it, §6.4.2.1 `mayStartOverlay`).
    public func start(now: NodeTime) -> [PeerOutput] {
        perform(node.start(now: now), now: now)
        return drain()
    }

    /// A datagram that arrived on the overlay socket.
    public func receive(overlay bytes: [UInt8], from address: PeerAddress, now: NodeTime) -> [PeerOutput] {
        handle(links.receive(bytes, from: address, now: now.monotonic, certificateTime: now.certificateTime), now: now)
        return drain()
    }

    /// A datagram that arrived on the SIP connections' socket (dropped without a SIP usage).
    public func receive(peerSIP bytes: [UInt8], from address: PeerAddress, now: NodeTime) -> [PeerOutput] {
        guard let sip else { return [] }
        absorb(sip.receive(fromPeer: bytes, from: address, now: now), now: now)
        return drain()
    }

    /// A datagram that arrived on the phones' socket (dropped without a SIP usage).
    public func receive(phone bytes: [UInt8], from phone: PhoneAddress, now: NodeTime) -> [PeerOutput] {
        guard let sip else { return [] }
        absorb(sip.receive(fromPhone: bytes, from: phone, now: now), now: now)
        return drain()
    }

    /// Everything whose time has come: link timers, the Node's, the SIP usage's.
    public func tick(now: NodeTime) -> [PeerOutput] {
        if let deadline = links.nextDeadline, deadline <= now.monotonic { handle(links.tick(now: now.monotonic), now: now) }
        if let deadline = node.nextDeadline, deadline <= now.monotonic { perform(node.tick(now: now), now: now) }
        if let sip, let deadline = sip.nextDeadline(now: now), deadline <= now.monotonic { absorb(sip.tick(now: now), now: now) }
        return drain()
    }

    /// When `tick` is due next.
    public func nextDeadline(now: NodeTime) -> Instant? {
        var deadlines: [Instant] = []
        if let deadline = links.nextDeadline { deadlines.append(deadline) }
        if let deadline = node.nextDeadline { deadlines.append(deadline) }
        if let sip, let deadline = sip.nextDeadline(now: now) { deadlines.append(deadline) }
        return deadlines.min()
    }

    /// Leaves the overlay (§10.9): the Leave messages go out; close the links after a grace
    /// period for them to be acknowledged (`closeAll`).
    public func leave(now: NodeTime) -> [PeerOutput] {
        perform(node.leave(now: now), now: now)
        return drain()
    }

    /// Shutdown: every SIP connection and overlay link closed (close_notify).
    public func closeAll(now: NodeTime) -> [PeerOutput] {
        if let sip { absorb(sip.closeAll(now: now), now: now) }
        handle(links.closeAll(now: now.monotonic), now: now)
        return drain()
    }

    /// The revocation list (or the bad-node list) changed: a link whose certificate is now
    /// refused is closed, and its address banned for a while (`LinkManager.refuse`).
    public func identitiesChanged(now: NodeTime) -> [PeerOutput] {
        for (address, peer) in links.boundPeers {
            guard let refusal = authenticator.recheck(peer.identity, now: now.certificateTime) else { continue }
            log(.warn, "link with \(peer.identity.nodeId.hex) closed: \(refusal.description)")
            handle(links.refuse(address, now: now.monotonic), now: now)
        }
        return drain()
    }

    /// What the SIP usage asked for.
    func absorb(_ outputs: [SIPUsageOutput], now: NodeTime) {
        for output in outputs {
            switch output {
            case .toPhone(let bytes, let phone):
                guard let address = PeerAddress(bytes: phone.bytes) else { continue }
                outbox.append(.transmit(.phones, bytes, to: address))
            case .toPeer(let bytes, let address): outbox.append(.transmit(.peerSIP, bytes, to: address))
            case .node(let actions): perform(actions, now: now)
            case .log(let level, let text): log(level, text)
            case .keyLog(let line): outbox.append(.keyLog(line))
            }
        }
    }
}
