import Chord
import Crypto
import Reload
import Wire

// The node's life in the ring (RFC 6940 §10.5 join, §10.7 stabilization, §10.9 leave) as the
// runner drives it: start, link events, ticks, leave. The Topology part decides; the node
// carries out its actions in order.
extension OverlayNode {
    /// Starts the node: joins through a bootstrap node, or starts the overlay alone when it
    /// may (§6.4.2.1) and no other bootstrap node is configured.
    public func start(now: NodeTime) -> [NodeAction] {
        precondition(phase == .idle, "start called twice")
        transactions.startPurging(now: now.monotonic)
        perform(topology.start(now: now), now: now)
        return drain()
    }

    /// §10.9: tell the neighbors we leave, with the peers that can take our place; then stop.
    public func leave(now: NodeTime) -> [NodeAction] {
        perform(topology.leave(), now: now)
        return drain()
    }

    /// A link came up. `address` is the remote address; `inbound` when the other side opened it.
    /// `owner`: whose node it is for the routing table's Sybil limit (the Link's
    /// `AuthenticatedPeer.owner`; nil: `userName`).
    public func linkUp(
        _ link: LinkId, nodeId peer: NodeId, userName: String, owner: String? = nil, address: IpAddressPort, inbound: Bool, now: NodeTime
    ) -> [NodeAction] {
        perform(
            topology.linkUp(link, nodeId: peer, userName: userName, owner: owner ?? userName, address: address, inbound: inbound, now: now),
            now: now)
        return drain()
    }

    /// A link failed (Simple Reliability gave up, §6.6.3.1) or was closed.
    public func linkDown(_ link: LinkId, now: NodeTime) -> [NodeAction] {
        perform(topology.linkDown(link, now: now), now: now)
        return drain()
    }

    /// A `.connect` the runner could not complete (no answer, handshake or certificate refused).
    public func connectFailed(address: IpAddressPort, expectedNodeId: NodeId?, now: NodeTime) -> [NodeAction] {
        perform(topology.connectFailed(address: address, expectedNodeId: expectedNodeId, now: now), now: now)
        return drain()
    }

    /// The link to `peer`, if any: for the runner's status.
    public func link(to peer: NodeId) -> LinkId? { topology.links.link(to: peer) }

    /// Does what is due at `now`; call at `nextDeadline` (calling earlier is harmless).
    public func tick(now: NodeTime) -> [NodeAction] {
        retransmitDue(now: now)
        perform(topology.joinTimers(now: now), now: now)
        transactions.purgeAnswersIfDue(now: now.monotonic)
        if phase == .joined {
            maintainRing(now: now)
            maintainStorage(now: now)
            publishCertificateIfDue(now: now)
        }
        return drain()
    }

    /// §10.7: the ring's periodic work, each step's requests sent before its next deadline is
    /// drawn.
    func maintainRing(now: NodeTime) {
        perform(topology.flushUpdates(now: now), now: now)
        if let updates = topology.periodicUpdates(now: now) {
            perform(updates, now: now)
            topology.periodicUpdatesSent(now: now)
        }
        if let pings = topology.livenessPings(now: now, pinging: isPinging) {
            perform(pings, now: now)
            perform(topology.retryCandidates(now: now), now: now)
            topology.livenessChecked(now: now)
        }
        if var refresh = topology.fingerRefresh(now: now) {
            while let request = topology.nextFingerAttach(&refresh, inFlight: fingerAttachInFlight) {
                perform([.request(request)], now: now)
            }
            topology.fingersRefreshed(now: now)
        }
    }

    func isPinging(_ neighbor: NodeId) -> Bool {
        return transactions.contains { $0 == .liveness(neighbor) }
    }

    func fingerAttachInFlight(_ index: Int) -> Bool {
        return transactions.contains { if case .fingerAttach(let wanted) = $0 { return wanted == index } else { return false } }
    }

    /// Carries out the topology's actions in order; `.answer` and `.refuse` answer `request`.
    func perform(_ actions: [TopologyAction], answering request: IncomingRequest? = nil, now: NodeTime) {
        for action in actions {
            switch action {
            case .request(let wanted):
                let sent = startRequest(to: wanted.destination, body: wanted.body, purpose: wanted.purpose, now: now, on: wanted.firstLink)
                if sent == nil, case .attach(let target?, _) = wanted.purpose { topology.attachNotSent(to: target) }
            case .answer(let body):
                guard let request else { preconditionFailure("an answer without a request") }
                answer(request, body: body, now: now)
            case .refuse(let code, let text):
                guard let request else { preconditionFailure("an error answer without a request") }
                refuse(request, code, text, now: now)
            case .connect(let address, let expected):
                outbox.append(.connect(address: address, expectedNodeId: expected))
            case .close(let link):
                outbox.append(.close(link: link))
            case .note(let note):
                take([note])
            case .joined:
                replication.start(now: now)
                certificates.start(now: now)
            case .forgetAttaches(let target):
                transactions.cancel { if case .attach(let wanted, _) = $0 { return wanted == target } else { return false } }
            }
        }
    }
}
