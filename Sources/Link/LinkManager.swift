import Reload
import Wire

/// All overlay links of a peer (RFC 6940 §6.6.6, DTLS-UDP-SR-NO-ICE), keyed by the peer's
/// transport address, bounded by max-links and max-handshakes. It owns the DTLS cookie
/// listener for addresses without a link (`DatagramListener`: no state and no public-key work
/// before a valid cookie) and a fixed-capacity table of `OverlayLink`s. No I/O, no clock: the
/// event loop calls it and performs the returned `LinkManagerEvent`s in order.
///
/// The calls the Node makes:
/// - `connect(to:now:)`: open a link (DTLS client); `.established(address, chain, inbound:
///   false)` follows, or `.failed(address, reason)`.
/// - `send(_:to:now:)`: one RELOAD message (whole, or a fragment being forwarded) over the link
///   to that address; queued during the handshake; refused (`LinkRefusal`) when there is no
///   link, its queue is full, or the message is too large.
/// - `receive(_:from:now:certificateTime:)`: every datagram that arrived on the overlay
///   socket (the wall clock for certificates checked inside the handshake,
///   `checkCertificatesDuringHandshake`).
/// - `tick(now:)` at `nextDeadline`: handshake and frame retransmissions, the 10 ms pacing,
///   give-ups, reassembly and handshake time limits.
/// - `close(_:now:)`: close one link (close_notify); `closeAll(now:)` at shutdown.
///
/// Example, a peer joining through a bootstrap peer:
///
///     var events = try links.connect(to: bootstrap, now: now)   // .transmit(ClientHello, to: bootstrap)
///     events += links.receive(datagram, from: bootstrap, now: now)
///     // ... .established(bootstrap, chain, inbound: false): check the Node-ID, route over it
///     events += try links.send(attachRequest, to: bootstrap, now: now)   // .transmit(record, to: bootstrap)
///     events += links.receive(ackAndAnswer, from: bootstrap, now: now)   // .delivered(answer, from: bootstrap)
///     events += links.tick(now: links.nextDeadline ?? now)
///
/// A link that fails or closes is removed at once (its `.failed`/`.closed` event is its last)
/// and its slot is free. A handshake that does not complete within the DTLS configuration's
/// total handshake time fails (`.failed(address, .session(.handshakeTimeout))`). A link is
/// replaced when the peer completes a new handshake from the same address (it restarted):
/// `.failed(address, .session(.peerReconnected))`, then `.established(address, chain,
/// inbound: true)`; until then the old link keeps working.
public final class LinkManager {
    public let configuration: LinkManagerConfiguration
    public internal(set) var counters = LinkManagerCounters()
    let listener: DatagramListener
    /// The connection table (RFC 6940 §6.5.1): every link by the peer's address, with the
    /// identity it was bound to. The one place that knows which address, link number and
    /// Node-ID belong together.
    var links: ConnectionTable<OverlayLink>
    /// Bound links by number (at most one per slot of `links`).
    var addressOfLink: [Int: PeerAddress] = [:]
    var nextLinkNumber = 1

    public init(configuration: LinkManagerConfiguration, now: Instant) throws(LinkError) {
        if let problem = configuration.problem { throw .invalidConfiguration(problem) }
        self.configuration = configuration
        listener = try DatagramListener(configuration: configuration.server, halfOpenLimit: configuration.maximumHandshakes, sourceLimits: configuration.sourceLimits, now: now)
        links = ConnectionTable(capacity: configuration.maximumLinks)
    }

    /// Links in any state.
    public var linkCount: Int { links.count }
    public var addresses: [PeerAddress] { links.addresses }
    /// The link to `address` (state, RTT, counters), if any.
    public func link(to address: PeerAddress) -> OverlayLink? { links.lookup(address) }
    /// What the cookie listener did with datagrams from addresses without a link.
    public var listenerCounters: DatagramListenerCounters { listener.counters }

    /// The owner's link authenticator refused the certificate of the link to `address`
    /// (RFC 6940 §6.5.1.11: "the connection MUST NOT be used"): the link is closed and the
    /// address may start no handshake for `HandshakeSourceLimits.banMilliseconds`, so a peer
    /// that keeps coming back costs a cookie (one HMAC), not a handshake's public-key work.
    /// The ban is per transport address, not per host: peers behind one NAT, or a loopback
    /// testnet, share a host; the per-host token bucket bounds one that changes ports.
    public func refuse(_ address: PeerAddress, now: Instant) -> [LinkManagerEvent] {
        listener.ban(address, now: now)
        return close(address, now: now)
    }

    /// From now on the owner's link authenticator also judges every peer's chain inside the
    /// handshake (`HandshakeCertificateCheck`), both directions, before the costly half of
    /// the public-key work; a refused handshake ends with a fatal alert,
    /// `.failed(address, .session(.certificateRefused(reason)), ...)`, and the address is
    /// banned as by `refuse`. The owner still checks `.established` links: the same
    /// judgement, answered from the verifier's cache. Call before the first `connect`;
    /// certificate validity needs the wall clock, given with `receive`.
    public func checkCertificatesDuringHandshake(with authenticator: LinkAuthenticator) throws(LinkError) {
        let check = HandshakeCertificateCheck(authenticator: authenticator)
        try configuration.client.checkPeersDuringHandshake(check)
        try configuration.server.checkPeersDuringHandshake(check)
    }

    /// True while `address` may start no handshake (`refuse`).
    public func isBanned(_ address: PeerAddress, now: Instant) -> Bool { listener.isBanned(address, now: now) }

    /// Handshakes in progress, both directions (bounded by max-handshakes).
    public var handshakesInProgress: Int { outboundHandshakes + listener.halfOpenCount }

    var outboundHandshakes: Int {
        var count = 0
        links.forEach { _, link in if link.isOutbound && link.state == .handshaking && !link.hasYielded { count += 1 } }
        return count
    }

    /// The earliest `nextDeadline` of all links; nil when none has a timer.
    public var nextDeadline: Instant? {
        var earliest: Instant? = nil
        links.forEach { _, link in
            if let deadline = link.nextDeadline { earliest = min(earliest ?? deadline, deadline) }
            if let deadline = link.successor?.nextDeadline { earliest = min(earliest ?? deadline, deadline) }
        }
        return earliest
    }

    /// Opens a link to `address` (DTLS client): the ClientHello is in the returned events.
    /// `expecting`: the Node-ID the other end must prove (RFC 6940 §6.5.1.11), kept with the
    /// link for the owner's check on `.established`.
    public func connect(to address: PeerAddress, expecting nodeId: NodeId? = nil, now: Instant) throws(LinkRefusal) -> [LinkManagerEvent] {
        let refusal: LinkRefusal?
        if links.lookup(address) != nil {
            refusal = .alreadyLinked
        } else if links.isFull {
            refusal = .tooManyLinks
        } else if handshakesInProgress >= configuration.maximumHandshakes {
            refusal = .tooManyHandshakes
        } else {
            refusal = nil
        }
        if let refusal {
            counters.connectsRefused += 1
            throw refusal
        }
        let link: OverlayLink
        do throws(LinkError) {
            link = try OverlayLink(connectingWith: configuration.client, configuration: configuration.link, now: now)
        } catch {
            throw .sessionSetup(error)
        }
        link.expectedNodeId = nodeId
        link.requestedByOwner = true
        let inserted = links.insert(link, for: address)
        precondition(inserted == .inserted)
        counters.linksConnected += 1
        var events: [LinkManagerEvent] = []
        collect(link.start(now: now), from: link, at: address, into: &events)
        return events
    }

    /// Binds the established link at `address` to the identity the owner authenticated on
    /// it and gives it a number; nil when there is no established link there. A link is bound
    /// once: a second call returns the first binding.
    public func bind(_ address: PeerAddress, to identity: AuthenticatedPeer) -> LinkPeer? {
        guard let link = links.lookup(address), link.state == .established else { return nil }
        if let peer = link.peer { return peer }
        let peer = LinkPeer(number: nextLinkNumber, identity: identity)
        nextLinkNumber += 1
        link.peer = peer
        addressOfLink[peer.number] = address
        assert(addressOfLink.count <= links.count)
        return peer
    }

    /// The address of the bound link with this number.
    public func address(ofLink number: Int) -> PeerAddress? { addressOfLink[number] }

    /// The identity the link at `address` is bound to, if it is.
    public func peer(at address: PeerAddress) -> LinkPeer? { links.lookup(address)?.peer }

    /// Every bound link, in table order.
    public var boundPeers: [(address: PeerAddress, peer: LinkPeer)] {
        var result: [(address: PeerAddress, peer: LinkPeer)] = []
        links.forEach { address, link in if let peer = link.peer { result.append((address, peer)) } }
        return result
    }

    /// True while a link the owner asked for (`connect`) to `address` is being set up.
    public func isConnecting(to address: PeerAddress) -> Bool {
        guard let link = links.lookup(address) else { return false }
        return link.requestedByOwner && link.peer == nil
    }

    /// Sends one RELOAD message over the link to `address` (see `OverlayLink.send`).
    public func send(_ message: [UInt8], to address: PeerAddress, now: Instant) throws(LinkRefusal) -> [LinkManagerEvent] {
        guard let link = links.lookup(address) else { throw .noLink }
        var events: [LinkManagerEvent] = []
        collect(try link.send(message, now: now), from: link, at: address, into: &events)
        return events
    }

    /// Runs every link whose deadline has come.
    public func tick(now: Instant) -> [LinkManagerEvent] {
        var events: [LinkManagerEvent] = []
        for address in links.addresses {
            guard let link = links.lookup(address) else { continue }
            if let successor = link.successor, let deadline = successor.nextDeadline, deadline <= now {
                collectSuccessor(successor.tick(now: now), of: link, at: address, into: &events)
            }
            guard link.state.isActive, let deadline = link.nextDeadline, deadline <= now else { continue }
            collect(link.tick(now: now), from: link, at: address, into: &events)
        }
        return events
    }

    /// Closes the link to `address` (close_notify when established); nothing if there is none.
    public func close(_ address: PeerAddress, now: Instant) -> [LinkManagerEvent] {
        guard let link = links.lookup(address) else { return [] }
        var events: [LinkManagerEvent] = []
        if let successor = link.successor { collectSuccessor(successor.close(now: now), of: link, at: address, into: &events) }
        collect(link.close(now: now), from: link, at: address, into: &events)
        return events
    }

    /// Closes every link (shutdown).
    public func closeAll(now: Instant) -> [LinkManagerEvent] {
        var events: [LinkManagerEvent] = []
        for address in links.addresses { events += close(address, now: now) }
        assert(links.count == 0)
        return events
    }
}
