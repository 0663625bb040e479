import Crypto
import Wire

// Datagrams in: to the link for the address, or to the cookie listener; and link events out.
extension LinkManager {
    /// One datagram that arrived from `address` on the overlay socket. Never traps on what
    /// the network sends: anything that is not for a link is answered statelessly or dropped
    /// and counted. `certificateTime`: the wall clock now, for the validity of a certificate
    /// checked inside the handshake (`checkCertificatesDuringHandshake`).
    public func receive(
        _ datagram: [UInt8], from address: PeerAddress, now: Instant, certificateTime: CertificateTime? = nil
    ) -> [LinkManagerEvent] {
        if let certificateTime, let check = configuration.server.handshakeCheck { check.now = certificateTime }
        var events: [LinkManagerEvent] = []
        guard let link = links.lookup(address) else {
            listen(datagram, from: address, replacing: nil, now: now, into: &events)
            return events
        }
        if ClientHelloCookie.isClientHelloRecord(datagram) {
            if let hello = ClientHelloCookie.parse(datagram) {
                clientHello(hello, datagram, on: link, from: address, now: now, into: &events)
            } else {
                counters.malformedClientHellosDropped += 1
            }
            return events
        }
        if let successor = link.successor {
            collectSuccessor(successor.receive(datagram, now: now), of: link, at: address, into: &events)
            guard link.state.isActive else { return events }
        }
        collect(link.receive(datagram, now: now), from: link, at: address, into: &events)
        return events
    }

    /// A ClientHello from a peer we have a link to. No established session sees it: mbedTLS
    /// would end the link for any ClientHello with a valid cookie (RFC 6347 §4.2.8), and
    /// cookies do not cover the rest of the hello, so a replayed one with another random
    /// would end a healthy link. Instead:
    /// - both handshakes running (simultaneous open): the larger ClientHello random wins on
    ///   both sides, the other side yields;
    /// - our inbound handshake: the client's retransmission, for the session to answer;
    /// - established: a late copy of the opening hello is dropped (by the link); a new one
    ///   goes to the listener, and a handshake it accepts runs beside the link and replaces it
    ///   only once complete ("MUST NOT destroy the existing association until the client has
    ///   demonstrated reachability ... by completing a complete handshake").
    /// Records of type ClientHello that do not parse are dropped before any of this.
    func clientHello(
        _ hello: ClientHelloCookie, _ datagram: [UInt8], on link: OverlayLink, from address: PeerAddress, now: Instant,
        into events: inout [LinkManagerEvent]
    ) {
        if link.state == .handshaking && link.isOutbound && !link.hasYielded {
            if let ours = link.clientHelloRandom, OverlayLink.keepsOwnHandshake(ours: ours, theirs: hello.random) {
                counters.simultaneousOpensKept += 1
                return
            }
            counters.simultaneousOpensYielded += 1
            link.yield()
        }
        if link.state == .handshaking && !link.isOutbound || !link.isOutbound && hello.random == link.peerHelloRandom {
            collect(link.receive(datagram, now: now), from: link, at: address, into: &events)
            return
        }
        if let successor = link.successor {
            if hello.random == successor.peerHelloRandom {
                collectSuccessor(successor.receive(datagram, now: now), of: link, at: address, into: &events)
            }
            return
        }
        listen(datagram, from: address, replacing: link, now: now, into: &events)
    }

    /// The cookie listener's turn: a HelloVerifyRequest back, nothing, or a new inbound link
    /// (in place of a yielded `replaced`, taking its queue, or beside an established one).
    func listen(
        _ datagram: [UInt8], from address: PeerAddress, replacing replaced: OverlayLink?, now: Instant,
        into events: inout [LinkManagerEvent]
    ) {
        if replaced == nil && links.isFull {
            counters.droppedLinkTableFull += 1
            return
        }
        var outcome = listener.receive(datagram, from: address, now: now, mayAccept: mayAcceptHandshake, mayEvict: true)
        if case .makeRoom(let oldest) = outcome {
            // Once only: the slot the oldest gave back is this hello's.
            let freed = giveWay(oldest, now: now, into: &events)
            outcome = freed ? listener.receive(datagram, from: address, now: now, mayAccept: mayAcceptHandshake) : .dropped(.halfOpenLimit)
        }
        switch outcome {
        case .reply(let datagrams):
            for reply in datagrams { events.append(.transmit(reply, to: address)) }
        case .dropped, .makeRoom:
            break
        case .accepted(let session, let actions):
            let link: OverlayLink
            do throws(LinkError) {
                link = try OverlayLink(accepting: session, firstActions: actions, configuration: configuration.link)
            } catch {
                return  // the configuration was checked at init: cannot happen; the session is dropped
            }
            link.peerHelloRandom = ClientHelloCookie.parse(datagram)?.random
            counters.linksAccepted += 1
            if let replaced, !replaced.hasYielded {
                replaced.successor = link
                collectSuccessor(link.start(now: now), of: replaced, at: address, into: &events)
                return
            }
            if let replaced {
                link.adoptQueue(of: replaced)
                _ = replaced.abandon(.session(.peerReconnected))
            }
            let inserted = links.insert(link, for: address)
            precondition(inserted != .refusedFull)
            collect(link.start(now: now), from: link, at: address, into: &events)
        }
    }

    var mayAcceptHandshake: Bool { outboundHandshakes + listener.halfOpenCount < configuration.maximumHandshakes }

    /// Every half-open slot is taken and the handshake from `address`, the oldest, gives way
    /// to a new one with a valid cookie (RFC 6347 §4.2.1 proves only that a client receives at
    /// its address, so a flood of hosts that do can hold slots; the oldest go first). It ends
    /// as timed out. False if no half-open handshake of ours is there.
    func giveWay(_ address: PeerAddress, now: Instant, into events: inout [LinkManagerEvent]) -> Bool {
        guard let link = links.lookup(address) else { return false }
        if let successor = link.successor, successor.holdsHalfOpenSlot {
            successor.releaseHalfOpenSlot()
            collectSuccessor(successor.abandon(.session(.handshakeTimeout)), of: link, at: address, into: &events)
            return true
        }
        guard link.holdsHalfOpenSlot else { return false }
        link.releaseHalfOpenSlot()
        collect(link.abandon(.session(.handshakeTimeout)), from: link, at: address, into: &events)
        return true
    }

    /// Events of the handshake running beside `link`: once it completes, the peer proved it
    /// started over (it restarted): the old link ends and the new one takes its slot. If it
    /// fails, it is forgotten and the old link stays.
    func collectSuccessor(_ successorEvents: [LinkEvent], of link: OverlayLink, at address: PeerAddress, into events: inout [LinkManagerEvent]) {
        guard let successor = link.successor else { return }
        switch successor.state {
        case .established:
            link.successor = nil
            counters.linksReplaced += 1
            collect(link.abandon(.session(.peerReconnected)), from: link, at: address, into: &events)
            let inserted = links.insert(successor, for: address)
            precondition(inserted == .inserted)
            collect(successorEvents, from: successor, at: address, into: &events)
        case .handshaking, .closed, .failed:
            if !successor.state.isActive {
                link.successor = nil
                counters.successorHandshakesFailed += 1
                banIfRefused(successor, at: address)
            }
            for event in successorEvents {
                switch event {
                case .transmit(let datagram): events.append(.transmit(datagram, to: address))
                case .keyLog(let line): events.append(.keyLog(line))
                default: break
                }
            }
        }
    }

    /// Link events to manager events; a link that ended leaves the table.
    func collect(_ linkEvents: [LinkEvent], from link: OverlayLink, at address: PeerAddress, into events: inout [LinkManagerEvent]) {
        for event in linkEvents {
            switch event {
            case .transmit(let datagram): events.append(.transmit(datagram, to: address))
            case .established(let chain):
                counters.linksEstablished += 1
                events.append(.established(address, chain, inbound: !link.isOutbound))
            case .delivered(let message): events.append(.delivered(message, from: address))
            case .unresponsive: events.append(.unresponsive(address))
            case .responsive: events.append(.responsive(address))
            case .keyLog(let line): events.append(.keyLog(line))
            case .failed(let failure):
                counters.linksFailed += 1
                banIfRefused(link, at: address)
                events.append(.failed(address, failure, .of(link)))
            case .closed:
                counters.linksClosed += 1
                events.append(.closed(address, .of(link)))
            }
        }
        if !link.state.isActive, let current = links.lookup(address), current === link {
            links.remove(address)
            if let peer = link.peer { addressOfLink[peer.number] = nil }
        }
    }

    /// A handshake the certificate check refused bans its address, as the owner's `refuse`
    /// does after one: a peer that keeps coming back costs a cookie, not a handshake. The
    /// ban starts at the instant of the call that ended the handshake.
    func banIfRefused(_ link: OverlayLink, at address: PeerAddress) {
        guard case .failed(.certificateRefused) = link.session.state else { return }
        counters.certificatesRefusedInHandshake += 1
        listener.ban(address, now: link.session.now)
    }
}
