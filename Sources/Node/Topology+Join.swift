import Chord
import Crypto
import Reload
import Wire

// Joining (RFC 6940 §11.4 bootstrap, §10.5 join): connect to a bootstrap node, Attach to the
// peer responsible for our Node-ID + 1 (the admitting peer) asking for its Update, Attach to
// the neighbors it names, then Join; once admitted, Update everyone we are linked to. Leaving
// (§10.9) and the link events that move a join on.
extension Topology {
    /// Starts the node: joins through a bootstrap node, or starts the overlay alone when it
    /// may (§6.4.2.1: "some mechanism whereby nodes can determine that they are potentially
    /// the first node") and no other bootstrap node is configured.
    mutating func start(now: NodeTime) -> [TopologyAction] {
        precondition(phase == .idle, "start called twice")
        startedAt = now
        if otherBootstrapAddresses.isEmpty {
            if configuration.mayStartOverlay {
                becomeFirst(now: now)
            } else {
                log(.error, "no bootstrap node to join through, and this node may not start the overlay")
            }
        } else {
            restartJoin(now: now)
        }
        return taken()
    }

    mutating func becomeFirst(now: NodeTime) {
        phase = .joined
        join = JoinProgress()
        log(.info, "first node of overlay \(configuration.overlayName): \(nodeId.hex)")
        startMaintenance(now: now)
    }

    mutating func restartJoin(now: NodeTime) {
        join.reset()
        phase = .bootstrapping
        join.deadline = now.monotonic.adding(milliseconds: configuration.joinTimeoutMilliseconds)
        guard let address = currentBootstrapAddress else { return }
        log(.info, "joining \(configuration.overlayName) through \(address.text)")
        emit(.connect(address, expectedNodeId: nil))
    }

    /// The join through the current bootstrap node failed: the next one is tried after the
    /// backoff (never from within the failure's own call, so failures cannot recurse).
    mutating func tryNextBootstrap(now: NodeTime) {
        join.bootstrapIndex += 1
        if join.bootstrapIndex % max(1, otherBootstrapAddresses.count) == 0 && configuration.mayStartOverlay {
            log(.warn, "no bootstrap node answered: starting the overlay alone")
            becomeFirst(now: now)
            return
        }
        scheduleJoinRetry(now: now)
    }

    mutating func scheduleJoinRetry(now: NodeTime) {
        join.reset()
        phase = .bootstrapping
        let delay = join.backoffMilliseconds / 2 + jitter(join.backoffMilliseconds / 2 + 1)
        join.failuresInARow += 1
        join.retryAt = now.monotonic.adding(milliseconds: delay)
        log(.info, "joining again in \(delay) ms")
    }

    /// §11.4: "send an Attach request over this connection with the destination Resource-ID
    /// set to the Joining Node's Node-ID plus 1". We are not in the ring yet: the request goes
    /// to the bootstrap node, which routes it.
    mutating func sendBootstrapAttach() {
        let target = chord.selfId.adding(1)
        guard let link = join.bootstrapLink, let bootstrap = links.nodeId(of: link) else { return }
        let attach = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: candidates, sendUpdate: true)
        request([.resource(ResourceId(bytes: target.bytes)!)], .attachRequest(attach), .bootstrapAttach, on: link)
        log(.debug, "attach to \(target.hex) through \(bootstrap.hex)")
    }

    /// The admitting peer sent its Update: its neighbors that belong in our table are being
    /// attached to; the Join goes out when those attaches are done (§10.5).
    mutating func neighborsLearned() {
        join.neighborsPending = Set(attaches.requested.keys)
        maybeSendJoin()
    }

    mutating func attachCompleted(_ peer: NodeId) {
        attaches.requested[peer] = nil
        if join.neighborsPending.remove(peer) != nil { maybeSendJoin() }
    }

    mutating func maybeSendJoin() {
        guard phase == .attaching, !join.joinSent, join.neighborsPending.isEmpty,
            let admitting = join.admittingPeer, links.isPeer(admitting)
        else { return }
        join.joinSent = true
        phase = .joining
        request([.node(admitting)], .joinRequest(JoinReq(joiningPeerId: nodeId)), .join(admittingPeer: admitting))
    }

    /// §10.5 steps 8-9: admitted; Update every linked node, and start filling fingers.
    mutating func joinAccepted(by admitting: NodeId, now: NodeTime) {
        phase = .joined
        join = JoinProgress()
        log(.info, "joined \(configuration.overlayName) as \(nodeId.hex), admitted by \(admitting.hex)")
        startMaintenance(now: now)
        scheduleUpdateFlush(now: now)
    }

    /// Attaches to `target`, source-routed through `through` when given (§10.6). It counts as
    /// asked from here on (no second Attach to it) unless the node reports it not sent.
    mutating func attach(to target: NodeId, through: NodeId?, now: NodeTime) {
        guard attaches.requested[target] == nil, attaches.count < configuration.maximumLinks, !isBanned(target, owner: nil, now: now)
        else { return }
        let destination: [Destination] = through.map { [.node($0), .node(target)] } ?? [.node(target)]
        let attach = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: candidates, sendUpdate: true)
        request(destination, .attachRequest(attach), .attach(target: target, viaUpdateFrom: through))
        attaches.requested[target] = now.monotonic
    }

    /// The Attach to `target` asked for was not sent (the transaction table was full).
    mutating func attachNotSent(to target: NodeId) {
        attaches.requested[target] = nil
    }

    // MARK: Answers and failures of our join requests

    /// The peer responsible for our Node-ID + 1 answered our first Attach: it admits us.
    mutating func bootstrapAttachAnswered(by responder: NodeId, now: NodeTime) -> [TopologyAction] {
        join.admittingPeer = responder
        phase = .attaching
        log(.info, "admitting peer is \(responder.hex)")
        attachAnswered(by: responder, now: now)
        if links.isPeer(responder) { neighborsLearned() }
        return taken()
    }

    /// Our Attach for `target` (nil: a finger's) was answered by `responder`.
    mutating func attachAnswered(target: NodeId?, by responder: NodeId, now: NodeTime) -> [TopologyAction] {
        if let target, target != responder { attaches.requested[target] = nil }
        attachAnswered(by: responder, now: now)
        return taken()
    }

    /// The answerer opens the link to us (it is "active"); we wait for it, or it is there.
    mutating func attachAnswered(by responder: NodeId, now: NodeTime) {
        if links.link(to: responder) != nil {
            attachCompleted(responder)
        } else {
            attaches.awaitingLink[responder] = now.monotonic.adding(milliseconds: configuration.attachLinkTimeoutMilliseconds)
        }
    }

    mutating func joinAnswered(by admitting: NodeId, now: NodeTime) -> [TopologyAction] {
        joinAccepted(by: admitting, now: now)
        return taken()
    }

    /// Our bootstrap Attach or Join failed (error answer, or none).
    mutating func joinStepFailed(reason: String, now: NodeTime) -> [TopologyAction] {
        if phase != .joined {
            log(.warn, "join step failed (\(reason)): starting over")
            join.bootstrapIndex += 1
            scheduleJoinRetry(now: now)
        }
        return taken()
    }

    /// Our Attach for `target` failed: it may be asked again; the Join no longer waits for it.
    mutating func attachFailed(target: NodeId?) -> [TopologyAction] {
        if let target {
            attaches.requested[target] = nil
            if join.neighborsPending.remove(target) != nil { maybeSendJoin() }
        }
        return taken()
    }

    // MARK: Leaving

    /// §10.9: tell the neighbors we leave, with the peers that can take our place; then stop.
    mutating func leave() -> [TopologyAction] {
        guard phase == .joined else {
            phase = .stopped
            return taken()
        }
        let predecessors = chord.predecessors.map { nodeId($0) }
        let successors = chord.successors.map { nodeId($0) }
        for peer in chord.neighbors {
            // To a predecessor we are its successor: from_succ with our successors.
            let data: ChordLeaveData = chord.predecessors.contains(peer)
                ? .fromSucc(successors: successors) : .fromPred(predecessors: predecessors)
            request([.node(nodeId(peer))], .leaveRequest(LeaveReq(leavingPeerId: nodeId, overlaySpecificData: data)), .leave(to: nodeId(peer)))
        }
        phase = .stopped
        log(.info, "left the overlay")
        return taken()
    }
}
