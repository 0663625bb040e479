import Reload
import Wire

/// One RELOAD overlay link to one peer, DTLS-UDP-SR-NO-ICE (RFC 6940 §6.6.6): a DTLS 1.2
/// session (`SecureSession`) carrying FramedMessages (§6.6.2) with Simple Reliability
/// (`SimpleReliability`, §6.6.3), messages larger than a frame cut into fragments (§6.7) on
/// the way out and reassembled on the way in. Sans-I/O like the session under it: the owner
/// feeds datagrams from the peer's address to `receive`, messages to `send`, calls `tick` at
/// `nextDeadline`, and performs the returned events in order (`LinkEvent`). `now` is an
/// argument of every call; nothing here reads a clock.
///
/// Usually `LinkManager` owns the links of a peer. Standing alone:
///
///     let link = try OverlayLink(connectingWith: dtlsClient, configuration: linkConfiguration, now: now)
///     perform(link.start(now: now))             // ClientHello
///     perform(link.receive(datagram, now: now)) // ... .established(chain)
///     perform(try link.send(message, now: now)) // .transmit(record) now or after the handshake
///     perform(link.tick(now: deadline))         // retransmissions, timers
///     perform(link.close(now: now))             // close_notify, .closed
///
/// Messages sent during the handshake wait in the send queue and go when it completes.
/// What a stop-and-wait sender sends is delivered in order, once (a copy far outside the
/// duplicate window can come twice, see `DuplicateFilter`).
public final class OverlayLink {
    public let configuration: OverlayLinkConfiguration
    /// True when this side started the DTLS handshake (`connect`); false when the peer did.
    public let isOutbound: Bool
    public internal(set) var state: OverlayLinkState = .handshaking
    /// Sequence numbers, RTT estimate (`reliability.roundTrip`) and frame counters.
    public internal(set) var reliability: SimpleReliability
    public internal(set) var counters = OverlayLinkCounters()
    /// The largest FramedMessage this link sends (see `OverlayLinkConfiguration`).
    public let framePayloadLimit: Int
    let session: SecureSession
    var reassembly: Reassembly
    /// An accepted session's first actions (the server's flight), performed by `start`.
    var pendingActions: [SecureSessionAction]
    /// Outbound: the random of our ClientHello (to settle simultaneous opens, `LinkManager`).
    var clientHelloRandom: [UInt8]? = nil
    /// Inbound: the random of the peer's ClientHello that opened this link.
    var peerHelloRandom: [UInt8]? = nil
    /// A new handshake from the peer's address (with a valid cookie) while this link is
    /// established: it takes this link's place only once it completes (`LinkManager`).
    var successor: OverlayLink? = nil
    var yielded = false
    /// The Node-ID the other end must prove, when we opened this link for one (RFC 6940
    /// §6.5.1.11); an inbound link that takes the place of ours adopts it.
    public internal(set) var expectedNodeId: NodeId? = nil {
        didSet { session.expectedNodeId = expectedNodeId }
    }
    /// The owner asked for this link (`connect`), or it took the place of one the owner asked for.
    var requestedByOwner = false
    /// Who the owner found at the other end (`LinkManager.bind`), once it did.
    public internal(set) var peer: LinkPeer? = nil

    /// An outbound link: a DTLS client session to the peer; `start` sends the ClientHello.
    public convenience init(
        connectingWith sessionConfiguration: SecureSessionConfiguration, configuration: OverlayLinkConfiguration, now: Instant
    ) throws(LinkError) {
        precondition(sessionConfiguration.transport == .datagram, "overlay links are DTLS (RFC 6940 §6.6.6)")
        let session = try SecureSession(connectingWith: sessionConfiguration, now: now)
        try self.init(session: session, outbound: true, firstActions: [], configuration: configuration)
    }

    /// An inbound link: a DTLS server session a `DatagramListener` accepted, with the actions
    /// it returned; `start` performs them.
    public convenience init(
        accepting session: SecureSession, firstActions: [SecureSessionAction], configuration: OverlayLinkConfiguration
    ) throws(LinkError) {
        precondition(session.configuration.transport == .datagram && session.configuration.role == .server)
        try self.init(session: session, outbound: false, firstActions: firstActions, configuration: configuration)
    }

    init(session: SecureSession, outbound: Bool, firstActions: [SecureSessionAction], configuration: OverlayLinkConfiguration) throws(LinkError) {
        if let problem = configuration.problem(datagramMTU: session.configuration.datagramMTU) {
            throw .invalidConfiguration(problem)
        }
        self.session = session
        self.configuration = configuration
        isOutbound = outbound
        pendingActions = firstActions
        framePayloadLimit = configuration.framePayloadLimit(datagramMTU: session.configuration.datagramMTU)
        reliability = SimpleReliability(configuration: configuration.reliability, codec: configuration.codec)
        reassembly = Reassembly(configuration: configuration.codec)
        assert(framePayloadLimit >= LinkLimits.minimumFramePayloadBytes)
    }

    /// The peer's certificate chain once established.
    public var peerCertificates: PeerCertificateChain? { session.peerCertificates }
    /// DTLS-level counters (datagrams dropped, handshake retransmissions).
    public var sessionCounters: SecureSessionCounters { session.counters }

    /// When `tick` must run next: a DTLS handshake timer, a retransmission or the 10 ms after
    /// an ACK, or the timeout of an incomplete message. nil when nothing is pending.
    public var nextDeadline: Instant? {
        switch state {
        case .handshaking:
            return yielded ? session.handshakeDeadline : session.nextDeadline
        case .established:
            let reassemblyDeadline = reassembly.nextDeadline
            guard let sending = reliability.nextDeadline else { return reassemblyDeadline }
            guard let reassemblyDeadline else { return sending }
            return min(sending, reassemblyDeadline)
        case .closed, .failed:
            return nil
        }
    }

    /// Starts the handshake: an outbound link's ClientHello, an inbound link's first flight.
    public func start(now: Instant) -> [LinkEvent] {
        var events: [LinkEvent] = []
        let actions = isOutbound ? session.start(now: now) : pendingActions
        pendingActions = []
        if isOutbound, clientHelloRandom == nil {
            for case .transmit(let datagram) in actions {
                if let hello = ClientHelloCookie.parse(datagram) { clientHelloRandom = hello.random }
            }
        }
        absorb(actions, into: &events, now: now)
        return events
    }

    /// One datagram from the peer's address.
    public func receive(_ datagram: [UInt8], now: Instant) -> [LinkEvent] {
        var events: [LinkEvent] = []
        guard state.isActive, !yielded else { return events }
        // RFC 6347 §4.2.8: on an established session mbedTLS ends the link for any ClientHello
        // with a valid cookie, and for a malformed one. A peer starting over is the
        // LinkManager's business (a new handshake beside this link); here a ClientHello is a
        // late copy of the opening one, a forgery, or a restart this link cannot serve.
        if state == .established && ClientHelloCookie.isClientHelloRecord(datagram) {
            counters.clientHellosDropped += 1
            return events
        }
        absorb(session.receive(datagram, now: now), into: &events, now: now)
        return events
    }

    /// Runs what is due at `now`: handshake retransmissions and its time limit, frame
    /// retransmissions (or the give-up), the next queued message, reassembly timeouts.
    public func tick(now: Instant) -> [LinkEvent] {
        if yielded { return tickYielded(now: now) }
        var events: [LinkEvent] = []
        if state == .handshaking { absorb(session.tick(now: now), into: &events, now: now) }
        if state == .established {
            perform(reliability.poll(now: now), into: &events, now: now)
            if reassembly.pendingMessages > 0 {
                counters.reassemblyTimeouts += UInt64(reassembly.expire(now: now))
            }
        }
        return events
    }

    /// Sends close_notify (when established) and ends the link: `.closed`.
    public func close(now: Instant) -> [LinkEvent] {
        var events: [LinkEvent] = []
        guard state.isActive else { return events }
        absorb(session.close(now: now), into: &events, now: now)
        if state.isActive { end(.closed, into: &events) }
        return events
    }
}
