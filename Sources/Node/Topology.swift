import Chord
import Crypto
import Reload
import Wire

/// One node's place in the CHORD-RELOAD ring (RFC 6940 §10) and its links, as a state machine
/// that does no I/O: where it is in its life (`phase`), its routing table (`chord`), its
/// connection table (`links`), the join under way (§10.5, §11.4), the Attaches under way
/// (§6.5.1) and the periodic work of a joined peer (§10.7.4).
///
/// It is fed link events, the topology requests addressed to this node (Attach, Join, Update,
/// Leave), the answers and failures of its own requests, and the time; each call returns the
/// `TopologyAction`s to carry out, in order. The node signs, sends and tracks the requests it
/// asks for; when an Attach could not be sent the node says so (`attachNotSent`).
struct Topology {
    let nodeId: NodeId
    let configuration: NodeConfiguration
    let random: RandomGenerator
    /// Where other nodes reach us (our No-ICE candidates, §6.5.1.11).
    let ownCandidates: [IpAddressPort]
    /// Where Attach and AppAttach requesters may make us connect, and how often.
    var connectPolicy: ConnectPolicy
    let bootstrapAddresses: [IpAddressPort]
    /// When the node started (uptime, §6.4.2.5, §10.7.3).
    var startedAt: NodeTime
    var phase: NodePhase = .idle
    var chord: ChordTable
    var links: LinkTable
    var join = JoinProgress()
    var attaches = AttachState()
    var maintenance = MaintenanceState()
    /// Misbehaviour scores and bans (Topology+Misbehaviour).
    var misbehaviour: Misbehaviour
    /// The actions of the call under way (returned and cleared by `taken`).
    private var actions: [TopologyAction] = []

    init(
        nodeId: NodeId, configuration: NodeConfiguration, random: RandomGenerator, ownCandidates: [IpAddressPort],
        bootstrapAddresses: [IpAddressPort], now: NodeTime
    ) {
        self.nodeId = nodeId
        self.configuration = configuration
        self.random = random
        self.ownCandidates = ownCandidates
        connectPolicy = ConnectPolicy(ownCandidates: ownCandidates, configuration: configuration)
        self.bootstrapAddresses = bootstrapAddresses
        startedAt = now
        chord = ChordTable(
            selfId: RingId(bytes: nodeId.bytes)!, successors: configuration.successors,
            predecessors: configuration.predecessors, fingers: configuration.fingers,
            slotsPerOwner: configuration.routingSlotsPerUser)
        links = LinkTable(capacity: configuration.maximumLinks)
        misbehaviour = Misbehaviour(limits: configuration.misbehaviour)
    }

    // MARK: Actions

    mutating func emit(_ action: TopologyAction) {
        actions.append(action)
    }

    mutating func log(_ level: LogLevel, _ text: String) {
        actions.append(.note(.log(level, text)))
    }

    mutating func request(_ destination: [Destination], _ body: MessageBody, _ purpose: TransactionTable.Purpose, on link: LinkId? = nil) {
        actions.append(.request(TopologyRequest(destination: destination, body: body, purpose: purpose, firstLink: link)))
    }

    /// The actions of this call, cleared for the next.
    mutating func taken() -> [TopologyAction] {
        let result = actions
        actions.removeAll(keepingCapacity: true)
        return result
    }

    // MARK: Queries

    func ring(_ nodeId: NodeId) -> RingId {
        return RingId(bytes: nodeId.bytes)!
    }

    func nodeId(_ ring: RingId) -> NodeId {
        return NodeId(bytes: ring.bytes)!
    }

    func uptimeSeconds(_ now: NodeTime) -> UInt32 {
        return UInt32(truncatingIfNeeded: now.monotonic.milliseconds(since: startedAt.monotonic) / 1000)
    }

    /// Jitter in [0, spread) milliseconds (§10.7.4.1: "randomly offset these Update requests").
    func jitter(_ spread: UInt64) -> UInt64 {
        guard spread > 0 else { return 0 }
        return (try? random.uniform(below: spread)) ?? 0
    }

    /// Our No-ICE candidates: DTLS-UDP-SR-NO-ICE host candidates.
    var candidates: [IceCandidate] {
        return ownCandidates.map {
            IceCandidate(addrPort: $0, overlayLink: .dtlsUdpSrNoIce, foundation: Array("1".utf8), priority: 1, type: .host)
        }
    }

    /// Bootstrap addresses other than our own (a bootstrap node lists itself too).
    var otherBootstrapAddresses: [IpAddressPort] {
        return bootstrapAddresses.filter { !ownCandidates.contains($0) }
    }

    var currentBootstrapAddress: IpAddressPort? {
        let others = otherBootstrapAddresses
        guard !others.isEmpty else { return nil }
        return others[join.bootstrapIndex % others.count]
    }

    /// The join's deadlines, the Attaches' expiries, and a joined peer's periodic work.
    var nextDeadline: Instant? {
        return [join.deadline, join.retryAt, attaches.nextDeadline, maintenance.nextDeadline(phase: phase)].compactMap { $0 }.min()
    }

    /// §6.4.2.5: the share of the ring we answer for, in 1/2^32 units.
    var responsibleShare: UInt32 {
        guard let predecessor = chord.predecessors.first else { return UInt32.max }
        return UInt32(truncatingIfNeeded: predecessor.distance(to: chord.selfId) >> 96)
    }

    // MARK: Routing

    /// The link a message for `destination` leaves on: the node itself when it is linked
    /// (§6.1.2: "If the first entry on the Destination List is in the peer's Connection Table,
    /// the peer MUST forward the message to that peer directly"), else the CHORD-RELOAD next
    /// hop (§10.3). Nil when this node is responsible or knows no route.
    /// `avoiding`: first hops a request was sent to before (see `ChordTable.nextHop`).
    func firstHop(toward destination: Destination, avoiding: [NodeId] = []) -> LinkId? {
        switch destination {
        case .node(let target):
            if let link = links.link(to: target) { return link }
            guard target.length == NodeConfiguration.nodeIdLength else { return nil }
            return chordHop(ring(target), avoiding: avoiding)
        case .resource(let resource):
            guard let key = RingId(bytes: resource.bytes) else { return nil }
            return chordHop(key, avoiding: avoiding)
        case .opaque, .compressed:
            return nil
        }
    }

    func chordHop(_ key: RingId, avoiding: [NodeId] = []) -> LinkId? {
        let hop = chord.nextHop(toward: key, avoiding: avoiding.map { ring($0) }) { [links] candidate in
            links.link(to: NodeId(bytes: candidate.bytes)!) != nil
        }
        switch hop {
        case .local: return nil
        case .peer(let next): return links.link(to: nodeId(next))
        }
    }

    /// The node responsible for `key` (§10.1) by our neighbor table; outside its span, the
    /// linked peer nearest at or after `key` (clockwise), not among `avoiding`, when it is
    /// likely the responsible node: no farther past the key than
    /// `likelyGapFactor` times the gap between our predecessor and us (a sample of the ring's
    /// spacing). A peer far past the key would have to route most of the way round the ring
    /// to it, through more forwarders than the routed path.
    func linkedSuccessor(of key: RingId, avoiding: [NodeId]) -> LinkId? {
        // Within our neighbor table the responsible node is known, however wide the gaps: it is
        // the one to ask again even when it was tried (a node past it would route back through
        // the key's predecessor, which may be us: a loop, and a transmission lost).
        if let known = chord.responsibleNeighbor(for: key) { return links.link(to: nodeId(known)) }
        guard let predecessor = chord.predecessors.first else { return nil }
        let gap = predecessor.distance(to: chord.selfId)
        let limit = gap > UInt128.max / Topology.likelyGapFactor ? UInt128.max : gap * Topology.likelyGapFactor
        var best: (distance: UInt128, link: LinkId)? = nil
        for link in links.allLinks {
            guard let peer = links.nodeId(of: link), peer.length == NodeConfiguration.nodeIdLength, !avoiding.contains(peer) else { continue }
            let distance = key.distance(to: ring(peer))
            if distance <= limit, best.map({ distance < $0.distance }) ?? true { best = (distance, link) }
        }
        return best?.link
    }

    static let likelyGapFactor: UInt128 = 1

    /// Puts a linked peer into the routing table (§10.7.3), under its owner's Sybil limit
    /// (`ChordTable.slotsPerOwner`, §13.6.1): the owner is the one its link's certificate proved.
    mutating func admit(_ peer: NodeId) -> ChordTable.Change {
        return chord.add(ring(peer), owner: links.owner(of: peer))
    }

    /// Only a node that is in the ring answers for Resource-IDs (a joining node could
    /// otherwise think itself responsible for everything).
    func isResponsible(for key: RingId) -> Bool {
        return phase == .joined && chord.isResponsible(for: key)
    }

    // MARK: Updates

    /// §10.7.3: our view of the ring to a linked `peer`; `full` adds our fingers.
    mutating func sendUpdate(to peer: NodeId, full: Bool, now: NodeTime) {
        guard links.link(to: peer) != nil else { return }
        let predecessors = chord.predecessors.map { nodeId($0) }
        let successors = chord.successors.map { nodeId($0) }
        let type: ChordUpdate.UpdateType
        if full {
            // §10.7: fingers "in numerically ascending order".
            let fingers = Set(chord.fingers.compactMap { $0 }).sorted().map { nodeId($0) }
            type = .full(predecessors: predecessors, successors: successors, fingers: fingers)
        } else {
            type = .neighbors(predecessors: predecessors, successors: successors)
        }
        let update = ChordUpdate(uptime: uptimeSeconds(now), type: type)
        request([.node(peer)], .updateRequest(update), .update(to: peer))
    }

    /// A full Update to `peer` (a RouteQuery asked for one, §10.8), if it is linked.
    mutating func fullUpdate(to peer: NodeId, now: NodeTime) -> [TopologyAction] {
        sendUpdate(to: peer, full: true, now: now)
        return taken()
    }

    /// Reactive recovery (§10.7.1): an Update to every link on the next tick, coalescing the
    /// changes until then.
    mutating func scheduleUpdateFlush(now: NodeTime) {
        guard phase == .joined, configuration.reactiveRecovery || maintenance.updateFlush == nil else { return }
        if maintenance.updateFlush == nil { maintenance.updateFlush = now.monotonic }
    }
}
