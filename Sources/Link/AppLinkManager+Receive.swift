import Wire

// Datagrams in, and session actions out, for application connections.
extension AppLinkManager {
    /// One datagram that arrived from `address` on the application socket. Never traps on
    /// what the network sends: anything that is not for a connection is answered statelessly
    /// (a HelloVerifyRequest) or dropped.
    public func receive(_ datagram: [UInt8], from address: PeerAddress, now: Instant) -> [AppLinkEvent] {
        var events: [AppLinkEvent] = []
        guard let link = links.lookup(address) else {
            listen(datagram, from: address, replacing: nil, now: now, into: &events)
            return events
        }
        if ClientHelloCookie.isClientHelloRecord(datagram) {
            guard let hello = ClientHelloCookie.parse(datagram) else {
                counters.malformedClientHellosDropped += 1
                return events
            }
            clientHello(hello, datagram, on: link, from: address, now: now, into: &events)
            return events
        }
        absorb(link.session.receive(datagram, now: now), link, at: address, now: now, into: &events)
        return events
    }

    /// A ClientHello from an address we have a connection with (see `LinkManager.clientHello`):
    /// - our handshake to it is running too (both sides AppAttached at once): the larger
    ///   ClientHello random wins on both sides; if theirs does, ours gives way and its queue
    ///   moves to theirs;
    /// - their handshake is running: a retransmission, for the session;
    /// - established: a late copy of the opening hello is dropped; a new one (the peer
    ///   restarted) goes to the cookie listener, and a handshake it accepts (the peer proved
    ///   it receives at the address, RFC 6347 §4.2.8) replaces the connection.
    func clientHello(
        _ hello: ClientHelloCookie, _ datagram: [UInt8], on link: AppLink, from address: PeerAddress, now: Instant,
        into events: inout [AppLinkEvent]
    ) {
        switch (link.session.state, link.isOutbound) {
        case (.handshaking, true):
            if let ours = link.helloRandom, OverlayLink.keepsOwnHandshake(ours: ours, theirs: hello.random) {
                counters.simultaneousOpensKept += 1
                return
            }
            listen(datagram, from: address, replacing: link, now: now, into: &events)
        case (.handshaking, false):
            absorb(link.session.receive(datagram, now: now), link, at: address, now: now, into: &events)
        default:
            if !link.isOutbound && hello.random == link.helloRandom { return }
            listen(datagram, from: address, replacing: link, now: now, into: &events)
        }
    }

    /// The cookie listener's turn: a HelloVerifyRequest back, nothing, or a new inbound
    /// connection (in place of `replaced`, which ends quietly and hands over its queue).
    func listen(_ datagram: [UInt8], from address: PeerAddress, replacing replaced: AppLink?, now: Instant, into events: inout [AppLinkEvent]) {
        if replaced == nil && links.isFull {
            counters.droppedTableFull += 1
            return
        }
        let ownHandshakes = handshakesInProgress - listener.halfOpenCount - (replaced?.session.state == .handshaking ? 1 : 0)
        switch listener.receive(datagram, from: address, now: now, mayAccept: ownHandshakes + listener.halfOpenCount < configuration.maximumHandshakes) {
        case .reply(let datagrams):
            for reply in datagrams { events.append(.transmit(reply, to: address)) }
        case .dropped, .makeRoom:
            break  // no `mayEvict`: never `.makeRoom`
        case .accepted(let session, let actions):
            let link = AppLink(session: session, outbound: false, pendingActions: [], now: now)
            link.helloRandom = ClientHelloCookie.parse(datagram)?.random
            if let replaced {
                if replaced.isEstablished { counters.linksReplaced += 1 } else { counters.simultaneousOpensYielded += 1 }
                link.queue = replaced.queue
                link.awaitingReplySince = replaced.awaitingReplySince
                _ = replaced.session.close(now: now)
                links.remove(address)
            }
            counters.linksAccepted += 1
            let inserted = links.insert(link, for: address)
            precondition(inserted == .inserted)
            absorb(actions, link, at: address, now: now, into: &events)
        }
    }

    /// Session actions to events. `.established` comes after the handshake's last flight
    /// (which may follow the completion in the same actions), so that whatever the owner
    /// sends on it, and what was queued, reaches the peer after its Finished; a delivery
    /// clears the reply timer; a connection that ended leaves the table.
    func absorb(_ actions: [SecureSessionAction], _ link: AppLink, at address: PeerAddress, now: Instant, into events: inout [AppLinkEvent]) {
        var completed: PeerCertificateChain? = nil
        var deliveredAfterCompletion: [AppLinkEvent] = []
        for action in actions {
            switch action {
            case .transmit(let datagram):
                events.append(.transmit(datagram, to: address))
            case .keyLogLine(let line):
                events.append(.keyLog(line))
            case .handshakeCompleted(let chain):
                counters.linksEstablished += 1
                link.lastDelivered = now
                completed = chain
            case .plaintext(let datagram):
                counters.datagramsDelivered += 1
                link.heardFrom(at: now)
                if completed != nil {
                    deliveredAfterCompletion.append(.delivered(datagram, from: address))
                } else {
                    events.append(.delivered(datagram, from: address))
                }
            case .closed:
                counters.linksClosed += 1
                remove(link, at: address)
                events.append(.closed(address, AppLinkManager.ending(of: link)))
            case .failed(let error):
                counters.linksFailed += 1
                remove(link, at: address)
                events.append(.failed(address, .session(error), AppLinkManager.ending(of: link)))
            }
        }
        if let chain = completed, link.isEstablished {
            events.append(.established(address, chain, inbound: !link.isOutbound))
            events += deliveredAfterCompletion
            sendQueue(link, at: address, now: now, into: &events)
        }
    }

    func sendQueue(_ link: AppLink, at address: PeerAddress, now: Instant, into events: inout [AppLinkEvent]) {
        let queued = link.queue
        link.queue = []
        for datagram in queued where link.isEstablished {
            do throws(LinkRefusal) {
                try encrypt(datagram, link, at: address, now: now, into: &events)
            } catch {
                continue  // sized when queued: only a session that ended under us
            }
        }
    }
}
