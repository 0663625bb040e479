import Crypto
import Node
import Reload
import Storage
import Wire

// What happens when: events reach nodes, and the nodes' actions become future events.
extension Simulation {
    func handle(_ event: Event) {
        eventsHandled += 1
        switch event {
        case .deliver(let index, let link, let message):
            guard nodes[index].alive, links[link]?.open == true else { return }
            messagesDelivered += 1
            deliveryObserver?(index, message)
            if nodes[index].attack != nil { capture(message, by: index) }
            if nodes[index].attack == .fakeStore && fakesStore(message, on: link, at: index) { return }
            perform(nodes[index].node.receive(message, on: link, now: time), by: index)
        case .linkUp(let index, let link, let peer, let inbound):
            guard nodes[index].alive, links[link]?.open == true else { return }
            let identity = nodes[peer].identity
            let actions = nodes[index].node.linkUp(
                link, nodeId: identity.nodeId, userName: identity.userName, address: nodes[peer].address,
                inbound: inbound, now: time)
            perform(actions, by: index)
        case .linkDown(let index, let link):
            guard nodes[index].alive else { return }
            perform(nodes[index].node.linkDown(link, now: time), by: index)
        case .connectFailed(let index, let address, let expected):
            guard nodes[index].alive else { return }
            perform(nodes[index].node.connectFailed(address: address, expectedNodeId: expected, now: time), by: index)
        case .tick(let index):
            guard nodes[index].alive, nodes[index].scheduledTick == now else { return }
            nodes[index].scheduledTick = nil
            perform(nodes[index].node.tick(now: time), by: index)
            // A tick must move the node's deadline on; one that does not, tick after tick,
            // would make a board peer spin. Counted (a node that spins for more than
            // `maximumSpins` ticks in a row fails the run's checker) and stepped over by a
            // millisecond so that the simulation goes on to report it.
            if let deadline = nodes[index].node.nextDeadline, deadline <= now {
                spinningTicks += 1
                nodes[index].spins += 1
                if nodes[index].spins > Simulation.maximumSpins && firstSpin == nil {
                    let status = nodes[index].node.status(now: time)
                    firstSpin = "node \(index) at \(now.nanoseconds / 1_000_000) ms, \(nodes[index].node.phase), \(status.pendingTransactions) transactions, \(status.pendingHandoffs) hand-offs"
                }
                nodes[index].scheduledTick = now.adding(milliseconds: 1)
                events.push(.tick(node: index), at: now.adding(milliseconds: 1))
            } else {
                nodes[index].spins = 0
            }
        }
    }

    /// Carries out a node's actions (tests start local requests and hand their actions here).
    public func perform(_ actions: [NodeAction], by index: Int) {
        for action in actions {
            switch action {
            case .send(let message, let link): send(message, on: link, from: index)
            case .connect(let address, let expected): connect(from: index, to: address, expected: expected)
            case .close(let link): close(link, by: index)
            case .log(let level, let text):
                if level <= logLevel { print("[\(now.nanoseconds / 1_000_000) ms] node \(index): \(text)") }
            case .completed(let handle, let result):
                if let completionHandler { completionHandler(index, handle, result) } else { nodes[index].completions[handle] = result }
            case .openAppLink: nodes[index].appLinksToOpen.append(action)
            }
        }
        scheduleTick(index)
    }

    func scheduleTick(_ index: Int) {
        guard nodes[index].alive, let deadline = nodes[index].node.nextDeadline else { return }
        let at = max(deadline, now)
        if let scheduled = nodes[index].scheduledTick, scheduled <= at { return }
        nodes[index].scheduledTick = at
        events.push(.tick(node: index), at: at)
    }

    func delay() -> UInt64 {
        network.delayMilliseconds(using: &random)
    }

    func send(_ message: [UInt8], on link: LinkId, from index: Int) {
        guard links[link]?.open == true else { return }
        var message = tamper?(index, message) ?? message
        var link = link
        if nodes[index].attack != nil {
            guard let (changed, onLink) = attackerSends(message, on: link, from: index) else { return }
            message = changed
            link = onLink
        }
        guard let connection = links[link], connection.open else { return }
        carry(message, on: link, to: connection.other(index))
    }

    /// The network takes `message` to `target`: maybe lost, maybe twice, after a delay.
    func carry(_ message: [UInt8], on link: LinkId, to target: Int) {
        traffic.count(message)
        if random.chance(perMillion: network.lossPerMillion) {
            messagesLost += 1
            return
        }
        events.push(.deliver(node: target, link: link, message: message), at: now.adding(milliseconds: delay()))
        if random.chance(perMillion: network.duplicationPerMillion) {
            events.push(.deliver(node: target, link: link, message: message), at: now.adding(milliseconds: delay()))
        }
    }

    /// A DTLS connect: the target's certificate must carry `expected` (RFC 6940 §6.5.1.11).
    func connect(from index: Int, to address: IpAddressPort, expected: NodeId?) {
        guard let target = Simulation.index(of: address), target < nodes.count, nodes[target].alive, target != index else {
            events.push(.connectFailed(node: index, address: address, expected: expected),
                        at: now.adding(milliseconds: network.connectTimeoutMilliseconds))
            return
        }
        if let expected, nodes[target].identity.nodeId != expected {
            events.push(.connectFailed(node: index, address: address, expected: expected),
                        at: now.adding(milliseconds: delay() * network.handshakeFlights))
            return
        }
        if !accepts(index, target) || !accepts(target, index) {
            events.push(.connectFailed(node: index, address: address, expected: expected),
                        at: now.adding(milliseconds: delay() * network.handshakeFlights))
            return
        }
        // One DTLS association per address pair: reuse an open link.
        if let link = linkOfPair[Simulation.pairKey(index, target)] {
            events.push(.linkUp(node: index, link: link, peer: target, inbound: false), at: now)
            return
        }
        let link = nextLink
        nextLink += 1
        links[link] = SimulatedLink(a: index, b: target)
        linkOfPair[Simulation.pairKey(index, target)] = link
        linksOfNode[index, default: []].insert(link)
        linksOfNode[target, default: []].insert(link)
        let up = now.adding(milliseconds: delay() * network.handshakeFlights)
        events.push(.linkUp(node: index, link: link, peer: target, inbound: false), at: up)
        events.push(.linkUp(node: target, link: link, peer: index, inbound: true), at: up)
    }

    func close(_ link: LinkId, by index: Int) {
        guard let connection = links[link], connection.open else { return }
        forget(link)
        events.push(.linkDown(node: index, link: link), at: now)
        events.push(.linkDown(node: connection.other(index), link: link), at: now.adding(milliseconds: delay()))
    }

    /// Whether node `index` accepts `peer`'s certificate chain now: links authenticate both
    /// ways (RFC 6940 §6.6.1), and a peer's link authenticator checks the chain with its
    /// verifier (trust anchor, validity, revocation list). Every identity of a run comes from
    /// its one CA with valid dates, so until a revocation list is installed
    /// (`identitiesMayBeRefused`) nothing can be refused and the check is skipped.
    func accepts(_ index: Int, _ peer: Int) -> Bool {
        guard identitiesMayBeRefused else { return true }
        if parsedChains[peer] == nil {
            var chain: [Certificate] = []
            for der in nodes[peer].identity.certificateChain {
                guard let certificate = try? Certificate(der: der) else { return false }
                chain.append(certificate)
            }
            parsedChains[peer] = chain
        }
        return (try? nodes[index].verifier.verify(chain: parsedChains[peer]!, now: time.certificateTime)) != nil
    }

    /// Node `index` installed a new revocation list: as a peer does (PeerCore's
    /// `identitiesChanged`), it closes each link whose peer's certificate it now refuses.
    public func identitiesChanged(at index: Int) {
        identitiesMayBeRefused = true
        guard nodes[index].alive else { return }
        for link in (linksOfNode[index] ?? []).sorted() {
            guard let connection = links[link], !accepts(index, connection.other(index)) else { continue }
            close(link, by: index)
        }
    }

    /// The key of a pair of nodes, whichever way round.
    static func pairKey(_ first: Int, _ second: Int) -> UInt64 {
        UInt64(min(first, second)) << 32 | UInt64(max(first, second))
    }

    /// A link that closed leaves every table (its pending events are then dropped).
    func forget(_ link: LinkId) {
        guard let connection = links.removeValue(forKey: link) else { return }
        linkOfPair[Simulation.pairKey(connection.a, connection.b)] = nil
        linksOfNode[connection.a]?.remove(link)
        linksOfNode[connection.b]?.remove(link)
    }

    /// The number of open links (the checkers' bound on the simulator's own tables).
    public var openLinkCount: Int { links.count }

    /// The node dies (kill -9): its links fail, and its neighbors notice after the link
    /// layer's failure detection time.
    public func kill(_ index: Int) {
        nodes[index].alive = false
        nodes[index].scheduledTick = nil
        captured[index] = nil
        for link in (linksOfNode[index] ?? []).sorted() {
            guard let connection = links[link] else { continue }
            forget(link)
            events.push(.linkDown(node: connection.other(index), link: link),
                        at: now.adding(milliseconds: network.failureDetectionMilliseconds))
        }
        linksOfNode[index] = nil
    }

    /// The node leaves cleanly (§10.9), then its links close.
    public func leave(_ index: Int) {
        beginLeave(index)
        run(milliseconds: Simulation.leaveMilliseconds)
        kill(index)
    }

    /// Sends the node's Leave requests (§10.9); the caller kills it `leaveMilliseconds` later.
    public func beginLeave(_ index: Int) {
        perform(nodes[index].node.leave(now: time), by: index)
    }

    /// How long a leaving node keeps its links for its Leave requests to go out.
    public static let leaveMilliseconds: UInt64 = 500

    /// A killed node starts again with the same identity and joins; with `keepingRecords` its
    /// record store is the one it had (a peer restarted on its LMDB directory), else empty.
    public func restart(_ index: Int, bootstrap: [Int], keepingRecords: Bool = false) {
        precondition(!nodes[index].alive)
        let backend = keepingRecords ? nodes[index].node.records.backend : InMemoryBackend()
        try? startNode(index: index, identity: nodes[index].identity, bootstrap: bootstrap, backend: backend)
    }
}

extension Simulation {
    /// Delivers `message` to node `index` on `link` now, as if it had arrived (attack tests).
    public func inject(_ message: [UInt8], to index: Int, on link: LinkId) {
        perform(nodes[index].node.receive(message, on: link, now: time), by: index)
    }

    /// The open link between two nodes, if any.
    public func link(between first: Int, and second: Int) -> LinkId? {
        return linkOfPair[Simulation.pairKey(first, second)]
    }
}
