import Chord
import Crypto
import Reload
import Testing
import Wire

@testable import Node

/// The Topology part alone (RFC 6940 §10.5 join, §10.7 Update and stabilization, §10.9 leave,
/// §6.5.1 Attach): fed link events, requests and answers by hand, its decisions checked action
/// by action. Requests carry real signers (a simulated CA's certificates).
@Suite struct TopologyTests {
    static let me: UInt128 = 0x40 << 120
    let identities: PartIdentities

    init() throws {
        identities = try PartIdentities(seed: 3)
    }

    func id(_ point: UInt128) -> NodeId { PartFixtures.nodeId(point) }

    func topology(bootstrap: [IpAddressPort] = [], mayStart: Bool = true, seed: UInt8 = 1) throws -> Topology {
        var configuration = PartFixtures.configuration()
        configuration.mayStartOverlay = mayStart
        return Topology(
            nodeId: id(Self.me), configuration: configuration, random: try PartFixtures.random(seed),
            ownCandidates: [PartFixtures.address(1)], bootstrapAddresses: bootstrap, now: PartFixtures.time(0))
    }

    func requests(_ actions: [TopologyAction]) -> [TopologyRequest] {
        return actions.compactMap { if case .request(let request) = $0 { return request } else { return nil } }
    }

    func candidate(_ last: UInt8) -> IceCandidate {
        return IceCandidate(addrPort: PartFixtures.address(last), overlayLink: .dtlsUdpSrNoIce, foundation: Array("1".utf8), priority: 1, type: .host)
    }

    /// A first node of the overlay with `peers` linked (link i + 1) and in its table, as after
    /// each sent it an Update.
    func joinedNode(with peers: [UInt128]) throws -> Topology {
        var node = try topology()
        let started = node.start(now: PartFixtures.time(0))
        #expect(started.contains(.joined))
        for (index, point) in peers.enumerated() {
            let peer = try identities.identity(at: point, user: "peer\(index)@parts.example")
            _ = node.linkUp(index + 1, nodeId: peer.nodeId, userName: peer.userName, address: PartFixtures.address(UInt8(10 + index)),
                            inbound: true, now: PartFixtures.time(0))
            let request = try identities.request(from: peer.nodeId, link: index + 1, signer: peer)
            _ = node.updateReceived(ChordUpdate(uptime: 1, type: .peerReady), request, now: PartFixtures.time(0))
        }
        return node
    }

    /// §11.4, §10.5: bootstrap link, Attach to our Node-ID + 1, the admitting peer's Update,
    /// Attaches to the neighbors it names, the Join once they are linked, then Updates to all.
    @Test func aNewNodeAttachesThroughItsBootstrapNodeAndJoinsOnceItsNeighborsAreLinked() throws {
        let admitting = try identities.identity(at: 0x50 << 120, user: "admitting@parts.example")
        let neighbor = id(0x60 << 120)
        var node = try topology(bootstrap: [PartFixtures.address(1), PartFixtures.address(2)], mayStart: false)
        let started = node.start(now: PartFixtures.time(0))
        #expect(started.last == .connect(PartFixtures.address(2), expectedNodeId: nil), "our own address is no bootstrap node")
        #expect(node.phase == .bootstrapping && node.nextDeadline == PartFixtures.instant(30_000))
        let up = node.linkUp(1, nodeId: admitting.nodeId, userName: "a", address: PartFixtures.address(2), inbound: false, now: PartFixtures.time(100))
        let first = requests(up)
        #expect(first.map { $0.purpose } == [.bootstrapAttach] && first.first?.firstLink == 1)
        #expect(first.first?.destination == [.resource(ResourceId(bytes: RingId(Self.me + 1).bytes)!)])
        _ = node.bootstrapAttachAnswered(by: admitting.nodeId, now: PartFixtures.time(200))
        #expect(node.phase == .attaching)
        let update = ChordUpdate(uptime: 9, type: .neighbors(predecessors: [], successors: [neighbor]))
        let updated = node.updateReceived(update, try identities.request(from: admitting.nodeId, link: 1, signer: admitting), now: PartFixtures.time(300))
        #expect(updated.first == .answer(.updateAnswer))
        #expect(requests(updated).map { $0.purpose } == [.attach(target: neighbor, viaUpdateFrom: admitting.nodeId)], "no Join before the neighbor is linked")
        #expect(requests(updated).first?.destination == [.node(admitting.nodeId), .node(neighbor)], "source routed through the sender (§10.6)")
        _ = node.attachAnswered(target: neighbor, by: neighbor, now: PartFixtures.time(400))
        let linked = node.linkUp(2, nodeId: neighbor, userName: "n", address: PartFixtures.address(3), inbound: true, now: PartFixtures.time(500))
        #expect(requests(linked).map { $0.purpose } == [.join(admittingPeer: admitting.nodeId)])
        #expect(node.phase == .joining)
        let admitted = node.joinAnswered(by: admitting.nodeId, now: PartFixtures.time(600))
        #expect(admitted.contains(.joined))
        #expect(node.phase == .joined && node.chord.successors.first == RingId(0x50 << 120))
        let flushed = requests(node.flushUpdates(now: PartFixtures.time(600)))
        #expect(flushed.map { $0.purpose } == [.update(to: admitting.nodeId), .update(to: neighbor)], "§10.5 step 9: Update everyone linked")
    }

    /// §11.4: an unreachable bootstrap node: the next is tried after a backoff that grows;
    /// with none left and permission, the node starts the overlay alone (§6.4.2.1).
    @Test func unreachableBootstrapNodesAreTriedInTurnWithGrowingBackoff() throws {
        var node = try topology(bootstrap: [PartFixtures.address(2), PartFixtures.address(3)], mayStart: false)
        _ = node.start(now: PartFixtures.time(0))
        _ = node.connectFailed(address: PartFixtures.address(2), expectedNodeId: nil, now: PartFixtures.time(10))
        let firstRetry = try #require(node.join.retryAt).milliseconds(since: PartFixtures.instant(10))
        #expect(firstRetry >= 250 && firstRetry <= 500, "\(firstRetry) ms")
        let waiting = node.joinTimers(now: PartFixtures.time(10))
        #expect(waiting.isEmpty, "not before the backoff")
        let retried = node.joinTimers(now: PartFixtures.time(10 + firstRetry))
        #expect(retried.last == .connect(PartFixtures.address(3), expectedNodeId: nil))
        _ = node.connectFailed(address: PartFixtures.address(3), expectedNodeId: nil, now: PartFixtures.time(1_000))
        let secondRetry = try #require(node.join.retryAt).milliseconds(since: PartFixtures.instant(1_000))
        #expect(secondRetry >= 500 && secondRetry <= 1_000, "doubled: \(secondRetry) ms")
        var alone = try topology(bootstrap: [PartFixtures.address(2)], mayStart: true)
        _ = alone.start(now: PartFixtures.time(0))
        let first = alone.connectFailed(address: PartFixtures.address(2), expectedNodeId: nil, now: PartFixtures.time(10))
        #expect(first.contains(.joined))
        #expect(alone.phase == .joined)
    }

    /// §10.7.3: a linked sender becomes a routing peer; an unknown node it names that belongs
    /// among our neighbors is attached to once, and again from the liveness tick after a failure.
    @Test func anUpdateAddsItsSenderAndAttachesToTheNeighborsItNames() throws {
        var node = try joinedNode(with: [0x50 << 120])
        let sender = try identities.identity(at: 0x50 << 120, user: "peer0@parts.example")
        let named = id(0x48 << 120)
        #expect(node.chord.successors == [RingId(0x50 << 120)])
        let update = ChordUpdate(uptime: 9, type: .neighbors(predecessors: [named], successors: []))
        let request = try identities.request(from: sender.nodeId, link: 1, signer: sender)
        let first = node.updateReceived(update, request, now: PartFixtures.time(1_000))
        #expect(requests(first).map { $0.purpose } == [.attach(target: named, viaUpdateFrom: sender.nodeId)])
        let again = node.updateReceived(update, request, now: PartFixtures.time(1_100))
        #expect(requests(again).isEmpty, "one Attach at a time")
        _ = node.attachFailed(target: named)
        let retried = node.retryCandidates(now: PartFixtures.time(2_000))
        #expect(requests(retried).map { $0.purpose } == [.attach(target: named, viaUpdateFrom: nil)])
        node.attachNotSent(to: named)
        #expect(node.attaches.requested[named] == nil, "an Attach not sent may be asked again")
    }

    /// §6.4.2.1: a Join is admitted only from the joining node over its own link, by a node
    /// in the ring; the new node gets an Update and everyone else one soon.
    @Test func aJoinIsAdmittedOnlyFromTheJoiningNodesOwnLink() throws {
        var node = try joinedNode(with: [0x50 << 120])
        _ = node.flushUpdates(now: PartFixtures.time(0))
        #expect(node.maintenance.updateFlush == nil)
        let joining = try identities.identity(at: 0x30 << 120, user: "joining@parts.example")
        let other = try identities.identity(at: 0x50 << 120, user: "peer0@parts.example")
        _ = node.linkUp(7, nodeId: joining.nodeId, userName: "j", address: PartFixtures.address(7), inbound: true, now: PartFixtures.time(10))
        let join = JoinReq(joiningPeerId: joining.nodeId)
        let forged = node.joinRequested(join, try identities.request(from: other.nodeId, link: 1, signer: other), now: PartFixtures.time(20))
        #expect(forged == [.refuse(.forbidden, "JoinReq must come from the joining node over its own link")])
        let relayed = try identities.request(from: other.nodeId, link: 1, signer: joining, via: [joining.nodeId])
        let throughAnother = node.joinRequested(join, relayed, now: PartFixtures.time(20))
        #expect(throughAnother == [.refuse(.forbidden, "JoinReq must come from the joining node over its own link")])
        let admitted = node.joinRequested(join, try identities.request(from: joining.nodeId, link: 7, signer: joining), now: PartFixtures.time(30))
        #expect(admitted.first == .answer(.joinAnswer(JoinAns())))
        #expect(requests(admitted).map { $0.purpose } == [.update(to: joining.nodeId)])
        #expect(node.chord.predecessors.first == RingId(0x30 << 120) && node.links.isPeer(joining.nodeId))
        #expect(node.maintenance.updateFlush == PartFixtures.instant(30), "reactive recovery: everyone is told")
    }

    /// §10.9: a Leave from the leaving node itself removes it at once and attaches to the
    /// peers it names; a Leave signed by another node is refused.
    @Test func aLeaveRemovesTheLeavingPeerAndAttachesToItsReplacement() throws {
        var node = try joinedNode(with: [0x50 << 120, 0x30 << 120])
        let leaving = try identities.identity(at: 0x50 << 120, user: "peer0@parts.example")
        let other = try identities.identity(at: 0x30 << 120, user: "peer1@parts.example")
        let replacement = id(0x58 << 120)
        let leave = LeaveReq(leavingPeerId: leaving.nodeId, overlaySpecificData: .fromSucc(successors: [replacement]))
        let refused = node.leaveReceived(leave, try identities.request(from: leaving.nodeId, link: 1, signer: other), now: PartFixtures.time(10))
        #expect(refused == [.refuse(.forbidden, "LeaveReq must come from the leaving node over its own link")])
        #expect(node.chord.contains(RingId(0x50 << 120)))
        let left = node.leaveReceived(leave, try identities.request(from: leaving.nodeId, link: 1, signer: leaving), now: PartFixtures.time(20))
        #expect(left.first == .answer(.leaveAnswer))
        #expect(!node.chord.contains(RingId(0x50 << 120)) && !node.links.isPeer(leaving.nodeId))
        #expect(requests(left).map { $0.purpose } == [.attach(target: replacement, viaUpdateFrom: nil)])
    }

    /// §10.9: Leave to every neighbor, from_succ to our predecessors (we are their successor)
    /// with our successors, from_pred to our successors with our predecessors; then stopped.
    @Test func leavingTellsEveryNeighborWhoTakesItsPlace() throws {
        let successors: [UInt128] = [0x50 << 120, 0x60 << 120, 0x70 << 120]
        let predecessors: [UInt128] = [0x30 << 120, 0x20 << 120, 0x10 << 120]
        var node = try joinedNode(with: successors + predecessors)
        let sent = requests(node.leave())
        #expect(node.phase == .stopped && sent.count == 6)
        for request in sent {
            guard case .leaveRequest(let leave) = request.body, case .node(let peer) = request.destination[0] else {
                Issue.record("not a Leave: \(request)")
                continue
            }
            let point = RingId(bytes: peer.bytes)!.value
            if successors.contains(point) {
                #expect(leave.overlaySpecificData == .fromPred(predecessors: predecessors.map { id($0) }))
            } else {
                #expect(leave.overlaySpecificData == .fromSucc(successors: successors.map { id($0) }))
            }
        }
    }

    /// §6.5.1.2 glare: both sides attaching; the smaller Node-ID gives way, the larger answers
    /// Error_In_Progress within the glare window and gives way after it.
    @Test func attachGlareIsBrokenByNodeIdAndTime() throws {
        var node = try joinedNode(with: [])
        let larger = try identities.identity(at: 0x50 << 120, user: "larger@parts.example")
        let smaller = try identities.identity(at: 0x30 << 120, user: "smaller@parts.example")
        let attach = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: [candidate(9)], sendUpdate: true)
        for peer in [larger, smaller] {
            node.attach(to: peer.nodeId, through: nil, now: PartFixtures.time(0))
            _ = node.taken()
        }
        let toLarger = node.attachRequested(attach, try identities.request(from: larger.nodeId, link: 1, signer: larger), now: PartFixtures.time(100))
        #expect(toLarger.first == .forgetAttaches(to: larger.nodeId), "we are smaller: we give way")
        #expect(toLarger.contains(.connect(PartFixtures.address(9), expectedNodeId: larger.nodeId)))
        let toSmaller = node.attachRequested(attach, try identities.request(from: smaller.nodeId, link: 2, signer: smaller), now: PartFixtures.time(100))
        #expect(toSmaller == [.refuse(.inProgress, "attach in progress")])
        let late = node.attachRequested(attach, try identities.request(from: smaller.nodeId, link: 2, signer: smaller), now: PartFixtures.time(2_101))
        #expect(late.first == .forgetAttaches(to: smaller.nodeId), "past the glare window our Attach went astray")
        #expect(node.attaches.sendUpdateOnLink[smaller.nodeId] != nil, "an Update follows when its link is up")
    }

    /// An Attach naming an address the ConnectPolicy refuses (multicast here) is answered
    /// with Error_Forbidden and nothing is connected; a routable one is connected.
    @Test func attachToARefusedAddressConnectsNothing() throws {
        var node = try joinedNode(with: [])
        let mallory = try identities.identity(at: 0x70 << 120, user: "mallory@parts.example")
        let multicast = IceCandidate(
            addrPort: .ipv4(224, 0, 0, 251, port: 5353), overlayLink: .dtlsUdpSrNoIce, foundation: Array("1".utf8), priority: 1, type: .host)
        let refused = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: [multicast], sendUpdate: false)
        let actions = node.attachRequested(refused, try identities.request(from: mallory.nodeId, link: 1, signer: mallory), now: PartFixtures.time(100))
        #expect(actions.contains(.refuse(.forbidden, "candidate address refused")))
        #expect(!actions.contains { if case .connect = $0 { return true } else { return false } })
        let allowed = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: [candidate(9)], sendUpdate: false)
        let accepted = node.attachRequested(allowed, try identities.request(from: mallory.nodeId, link: 1, signer: mallory), now: PartFixtures.time(200))
        #expect(accepted.contains(.connect(PartFixtures.address(9), expectedNodeId: mallory.nodeId)))
    }

    /// §10.7.1: a neighbor silent for the liveness interval is pinged, unless a ping is under
    /// way; one that never answers loses its link and its place.
    @Test func silentNeighborsArePingedAndUnresponsiveOnesDropped() throws {
        var node = try joinedNode(with: [0x50 << 120])
        let neighbor = id(0x50 << 120)
        let due = try #require(node.maintenance.nextLivenessCheck)
        #expect(node.livenessPings(now: PartFixtures.time(1), pinging: { _ in false }) == nil, "not due yet")
        let early = node.livenessPings(now: NodeTime(monotonic: due, wall: PartFixtures.wall), pinging: { _ in false })
        #expect(early == [], "due, but the neighbor was heard from lately")
        let late = PartFixtures.time(15_000)
        #expect(requests(try #require(node.livenessPings(now: late, pinging: { _ in false }))).map { $0.purpose } == [.liveness(neighbor)])
        #expect(try #require(node.livenessPings(now: late, pinging: { $0 == neighbor })).isEmpty)
        let dropped = node.neighborUnresponsive(neighbor, now: late)
        #expect(dropped.contains(.close(1)) && !node.chord.contains(RingId(0x50 << 120)) && node.links.count == 0)
    }

    /// §10.7.4.2: a refresh Attaches to the start of empty fingers' ranges, each with
    /// probability 1/2, at most four at a time, none for a finger already being searched.
    @Test func aFingerRefreshAttachesToAFewEmptyFingers() throws {
        let node = try joinedNode(with: [])
        var refresh = try #require(node.fingerRefresh(now: PartFixtures.time(5_000)))
        var attached: [Int] = []
        while let request = node.nextFingerAttach(&refresh, inFlight: { $0 == 1 }) {
            guard case .fingerAttach(let index) = request.purpose else { continue }
            #expect(request.destination == [.resource(ResourceId(bytes: node.chord.fingerTarget(index).bytes)!)])
            attached.append(index)
        }
        #expect(!attached.isEmpty && attached.count <= Topology.fingerAttachesPerRefresh, "\(attached)")
        #expect(attached == attached.sorted() && !attached.contains(1))
    }

    /// §13.6.1 Sybil limit: five linked peers of one user right after us, each sending an
    /// Update (which makes a linked peer a routing peer): the neighbor set keeps
    /// routing-slots-per-user (2) of them, the nearest, and takes the next peer of another user.
    @Test func fiveNeighborsOfOneUserTakeAtMostTheirSlots() throws {
        var node = try joinedNode(with: [0x60 << 120, 0x70 << 120, 0x30 << 120, 0x20 << 120, 0x10 << 120])
        #expect(node.configuration.routingSlotsPerUser == 2)
        for step in 1...5 {
            let point = (Self.me) + UInt128(step) << 112
            let sybil = try identities.identity(at: point, user: "mallory@parts.example")
            let link = 20 + step
            _ = node.linkUp(
                link, nodeId: sybil.nodeId, userName: sybil.userName, address: PartFixtures.address(UInt8(40 + step)), inbound: true,
                now: PartFixtures.time(10))
            let request = try identities.request(from: sybil.nodeId, link: link, signer: sybil)
            _ = node.updateReceived(ChordUpdate(uptime: 1, type: .peerReady), request, now: PartFixtures.time(10))
        }
        let mallory = node.chord.neighbors.filter { node.links.owner(of: node.nodeId($0)) == "mallory@parts.example" }
        #expect(mallory.count == 2)
        #expect(node.chord.successors == [RingId(Self.me + 1 << 112), RingId(Self.me + 2 << 112), RingId(0x60 << 120)])
        #expect(node.chord.predecessors == [RingId(0x30 << 120), RingId(0x20 << 120), RingId(0x10 << 120)])
    }
}
