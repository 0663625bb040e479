import Wire

// Datagrams in: to the link for the address, or to the cookie listener; and link events out.
extension LinkManager {
    /// One datagram that arrived from `address` on the overlay socket. Never traps on what
    /// the network sends: anything that is not for a link is answered statelessly or dropped
    /// and counted.
    public func receive(_ datagram: [UInt8], from address: PeerAddress, now: Instant) -> [LinkManagerEvent] {
        var events: [LinkManagerEvent] = []
        guard let link = links.lookup(address) else {
            listen(datagram, from: address, replacing: nil, now: now, into: &events)
            return events
        }
        if link.isOutbound, let hello = ClientHelloCookie.parse(datagram) {
            clientHello(hello, datagram, on: link, from: address, now: now, into: &events)
            return events
        }
        collect(link.receive(datagram, now: now), from: link, at: address, into: &events)
        // RFC 6347 §4.2.8: the peer restarted and proved its address (a ClientHello with a
        // valid cookie ended our server session): the same hello starts its new link now.
        if case .failed(.session(.peerReconnected)) = link.state {
            listen(datagram, from: address, replacing: nil, now: now, into: &events)
        }
        return events
    }

    /// A ClientHello from a peer we have an outbound link to. While both handshakes run
    /// (simultaneous open), the larger ClientHello random wins on both sides. On an
    /// established link it may be the peer starting over: the listener answers statelessly
    /// and only a valid cookie replaces the link.
    func clientHello(
        _ hello: ClientHelloCookie, _ datagram: [UInt8], on link: OverlayLink, from address: PeerAddress, now: Instant,
        into events: inout [LinkManagerEvent]
    ) {
        if link.state == .handshaking && !link.hasYielded {
            if let ours = link.clientHelloRandom, OverlayLink.keepsOwnHandshake(ours: ours, theirs: hello.random) {
                counters.simultaneousOpensKept += 1
                return
            }
            counters.simultaneousOpensYielded += 1
            link.yield()
        }
        listen(datagram, from: address, replacing: link, now: now, into: &events)
    }

    /// The cookie listener's turn: a HelloVerifyRequest back, nothing, or a new inbound link
    /// (in place of `replaced`, which gives it its queued messages if it had yielded).
    func listen(
        _ datagram: [UInt8], from address: PeerAddress, replacing replaced: OverlayLink?, now: Instant,
        into events: inout [LinkManagerEvent]
    ) {
        if replaced == nil && links.isFull {
            counters.droppedLinkTableFull += 1
            return
        }
        let mayAccept = outboundHandshakes + listener.halfOpenCount < configuration.maximumHandshakes
        switch listener.receive(datagram, from: address, now: now, mayAccept: mayAccept) {
        case .reply(let datagrams):
            for reply in datagrams { events.append(.transmit(reply, to: address)) }
        case .dropped:
            break
        case .accepted(let session, let actions):
            let link: OverlayLink
            do throws(LinkError) {
                link = try OverlayLink(accepting: session, firstActions: actions, configuration: configuration.link)
            } catch {
                return  // the configuration was checked at init: cannot happen; the session is dropped
            }
            link.peerHelloRandom = ClientHelloCookie.parse(datagram)?.random
            if let replaced { retire(replaced, for: link, at: address, into: &events) }
            let inserted = links.insert(link, for: address)
            precondition(inserted != .refusedFull)
            counters.linksAccepted += 1
            collect(link.start(now: now), from: link, at: address, into: &events)
        }
    }

    /// A new inbound link takes the place of `replaced`: a yielded link hands over its queue;
    /// an established one belonged to the peer's previous run.
    func retire(_ replaced: OverlayLink, for link: OverlayLink, at address: PeerAddress, into events: inout [LinkManagerEvent]) {
        if replaced.hasYielded {
            link.adoptQueue(of: replaced)
            _ = replaced.abandon(.session(.peerReconnected))
            return
        }
        counters.linksReplaced += 1
        collect(replaced.abandon(.session(.peerReconnected)), from: replaced, at: address, into: &events)
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
                events.append(.failed(address, failure))
            case .closed:
                counters.linksClosed += 1
                events.append(.closed(address))
            }
        }
        if !link.state.isActive, let current = links.lookup(address), current === link { links.remove(address) }
    }
}
