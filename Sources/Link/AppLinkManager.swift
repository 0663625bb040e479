import Reload
import Wire

/// The application connections of a peer (RFC 6940 §6.5.2 AppAttach, in our No-ICE profile,
/// §6.5.1.11): DTLS 1.2 associations on a socket of their own, keyed by the peer's address,
/// bounded in number, handshakes and queued datagrams, each carrying one application datagram
/// per record. Like `LinkManager` it does no I/O and reads no clock; the event loop calls it
/// and performs the returned `AppLinkEvent`s in order. The same session code does the DTLS:
/// mutual authentication, cookies (`DatagramListener`: no state before a valid cookie),
/// anti-replay; trust is checked by the owner on `.established`.
///
///     var events = try apps.connect(to: caller, now: now)                // we answered its AppAttach
///     events += apps.receive(datagram, from: caller, now: now)            // ... .established: check the Node-ID
///     events += try apps.send(sip, to: caller, expectingReply: true, now: now)
///     events += apps.tick(now: apps.nextDeadline ?? now)                  // handshake timers, idle, no reply
public final class AppLinkManager {
    public let configuration: AppLinkConfiguration
    public internal(set) var counters = AppLinkCounters()
    let listener: DatagramListener
    /// The application connections by the peer's address, with the identity each is bound to.
    var links: ConnectionTable<AppLink>
    var nextLinkNumber = 1

    public init(configuration: AppLinkConfiguration, now: Instant) throws(LinkError) {
        if let problem = configuration.problem { throw .invalidConfiguration(problem) }
        self.configuration = configuration
        listener = try DatagramListener(configuration: configuration.server, halfOpenLimit: configuration.maximumHandshakes, now: now)
        links = ConnectionTable(capacity: configuration.maximumLinks)
    }

    public var linkCount: Int { links.count }
    public var addresses: [PeerAddress] { links.addresses }
    public var listenerCounters: DatagramListenerCounters { listener.counters }

    /// Whether the connection to `address` is established (false: none, or handshaking).
    public func isEstablished(_ address: PeerAddress) -> Bool { links.lookup(address)?.isEstablished ?? false }

    public var handshakesInProgress: Int {
        var count = 0
        links.forEach { _, link in if link.isOutbound && link.session.state == .handshaking { count += 1 } }
        return count + listener.halfOpenCount
    }

    public var nextDeadline: Instant? {
        var earliest: Instant? = nil
        links.forEach { _, link in
            if let deadline = link.nextDeadline(configuration) { earliest = min(earliest ?? deadline, deadline) }
        }
        return earliest
    }

    /// Opens a connection to `address` as the DTLS client; the other end must prove
    /// `expecting` (RFC 6940 §6.5.1.11: the requester of the AppAttach we answered).
    public func connect(to address: PeerAddress, expecting nodeId: NodeId? = nil, now: Instant) throws(LinkRefusal) -> [AppLinkEvent] {
        if links.lookup(address) != nil { throw .alreadyLinked }
        if links.isFull { throw .tooManyLinks }
        if handshakesInProgress >= configuration.maximumHandshakes { throw .tooManyHandshakes }
        let session: SecureSession
        do throws(LinkError) {
            session = try SecureSession(connectingWith: configuration.client, now: now)
        } catch {
            throw .sessionSetup(error)
        }
        let link = AppLink(session: session, outbound: true, pendingActions: [], now: now)
        link.expectedNodeId = nodeId
        let inserted = links.insert(link, for: address)
        precondition(inserted == .inserted)
        counters.linksConnected += 1
        let actions = session.start(now: now)
        for case .transmit(let datagram) in actions where link.helloRandom == nil {
            link.helloRandom = ClientHelloCookie.parse(datagram)?.random
        }
        var events: [AppLinkEvent] = []
        absorb(actions, link, at: address, now: now, into: &events)
        return events
    }

    /// Binds the established connection at `address` to the identity the owner
    /// authenticated; a connection to the same Node-ID elsewhere stays, but `address(of:)`
    /// names the newest. nil when there is no established connection there.
    public func bind(_ address: PeerAddress, to identity: AuthenticatedPeer) -> LinkPeer? {
        guard let link = links.lookup(address), link.isEstablished else { return nil }
        if let peer = link.peer { return peer }
        let peer = LinkPeer(number: nextLinkNumber, identity: identity)
        nextLinkNumber += 1
        link.peer = peer
        return peer
    }

    /// The Node-ID the connection at `address` was opened for (we connect), if any.
    public func expectedNodeId(at address: PeerAddress) -> NodeId? { links.lookup(address)?.expectedNodeId }

    /// The identity the connection at `address` is bound to.
    public func peer(at address: PeerAddress) -> LinkPeer? { links.lookup(address)?.peer }

    /// The newest connection bound to `nodeId`.
    public func address(of nodeId: NodeId) -> PeerAddress? {
        var found: (address: PeerAddress, number: Int)? = nil
        links.forEach { address, link in
            if let peer = link.peer, peer.identity.nodeId == nodeId, peer.number > (found?.number ?? 0) { found = (address, peer.number) }
        }
        return found?.address
    }

    /// True while a connection we opened for `nodeId` is not bound yet.
    public func isConnecting(to nodeId: NodeId) -> Bool {
        var connecting = false
        links.forEach { _, link in if link.isOutbound && link.peer == nil && link.expectedNodeId == nodeId { connecting = true } }
        return connecting
    }

    /// Sends one datagram to the peer at `address`: at once when established, after the
    /// handshake otherwise. `expectingReply`: the other end answers it (see
    /// `AppLinkConfiguration.replyTimeoutMilliseconds`).
    public func send(_ datagram: [UInt8], to address: PeerAddress, expectingReply: Bool, now: Instant) throws(LinkRefusal) -> [AppLinkEvent] {
        guard let link = links.lookup(address) else { throw .noLink }
        guard datagram.count <= LinkLimits.maximumPlaintextRecordBytes else {
            throw .messageTooLarge(length: datagram.count, limit: LinkLimits.maximumPlaintextRecordBytes)
        }
        if expectingReply && link.awaitingReplySince == nil { link.awaitingReplySince = now }
        var events: [AppLinkEvent] = []
        guard link.isEstablished else {
            guard link.queue.count < configuration.queueCapacity else { throw .queueFull }
            link.queue.append(datagram)
            if expectingReply { link.sentExpectingReply(datagram, now: now) }
            return events
        }
        try encrypt(datagram, link, at: address, now: now, into: &events)
        if expectingReply { link.sentExpectingReply(datagram, now: now) }
        return events
    }

    func encrypt(_ datagram: [UInt8], _ link: AppLink, at address: PeerAddress, now: Instant, into events: inout [AppLinkEvent]) throws(LinkRefusal) {
        let actions: [SecureSessionAction]
        do throws(LinkError) {
            actions = try link.session.send(datagram, now: now)
        } catch {
            if case .plaintextTooLarge(_, let limit) = error { throw .messageTooLarge(length: datagram.count, limit: limit) }
            throw .linkDown
        }
        counters.datagramsSent += 1
        absorb(actions, link, at: address, now: now, into: &events)
    }

    /// Handshake timers, then the idle and reply timers of established connections.
    public func tick(now: Instant) -> [AppLinkEvent] {
        var events: [AppLinkEvent] = []
        for address in links.addresses {
            guard let link = links.lookup(address), let deadline = link.nextDeadline(configuration), deadline <= now else { continue }
            if link.session.state == .handshaking {
                absorb(link.session.tick(now: now), link, at: address, now: now, into: &events)
            } else if let since = link.awaitingReplySince, since.adding(milliseconds: configuration.replyTimeoutMilliseconds) > now,
                let at = link.retransmitAt, at <= now
            {
                // Timer A (RFC 3261 §17.1.1.2) for what is still unanswered.
                counters.datagramsRetransmitted += UInt64(link.unanswered.count)
                for datagram in link.unanswered { try? encrypt(datagram, link, at: address, now: now, into: &events) }
                link.retransmitInterval = min(link.retransmitInterval * 2, AppLink.lastRetransmitMilliseconds)
                link.retransmitAt = now.adding(milliseconds: link.retransmitInterval)
            } else if let since = link.awaitingReplySince, since.adding(milliseconds: configuration.replyTimeoutMilliseconds) <= now {
                counters.linksUnanswered += 1
                end(link, at: address, .failed(.noReply), now: now, into: &events)
            } else if link.lastDelivered.adding(milliseconds: configuration.idleTimeoutMilliseconds) <= now {
                counters.linksIdle += 1
                end(link, at: address, .closed, now: now, into: &events)
            }
        }
        return events
    }

    /// Closes the connection to `address` (close_notify when established).
    public func close(_ address: PeerAddress, now: Instant) -> [AppLinkEvent] {
        guard let link = links.lookup(address) else { return [] }
        var events: [AppLinkEvent] = []
        end(link, at: address, .closed, now: now, into: &events)
        return events
    }

    public func closeAll(now: Instant) -> [AppLinkEvent] {
        var events: [AppLinkEvent] = []
        for address in links.addresses { events += close(address, now: now) }
        return events
    }

    enum Ending {
        case closed
        case failed(LinkFailure)
    }

    /// close_notify (if established), the event, and the slot is free.
    func end(_ link: AppLink, at address: PeerAddress, _ ending: Ending, now: Instant, into events: inout [AppLinkEvent]) {
        for case .transmit(let datagram) in link.session.close(now: now) { events.append(.transmit(datagram, to: address)) }
        remove(link, at: address)
        switch ending {
        case .closed:
            counters.linksClosed += 1
            events.append(.closed(address, AppLinkManager.ending(of: link)))
        case .failed(let failure):
            counters.linksFailed += 1
            events.append(.failed(address, failure, AppLinkManager.ending(of: link)))
        }
    }

    static func ending(of link: AppLink) -> LinkEnding {
        LinkEnding(peer: link.peer, expectedNodeId: link.expectedNodeId, wasConnecting: link.isOutbound && link.peer == nil)
    }

    func remove(_ link: AppLink, at address: PeerAddress) {
        if let current = links.lookup(address), current === link { links.remove(address) }
    }
}
