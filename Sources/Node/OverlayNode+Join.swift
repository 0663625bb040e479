import Chord
import Crypto
import Reload
import Wire

// Joining (RFC 6940 §11.4 bootstrap, §10.5 join): connect to a bootstrap node, Attach to the
// peer responsible for our Node-ID + 1 (the admitting peer) asking for its Update, Attach to
// the neighbors it names, then Join; once admitted, Update everyone we are linked to.
extension OverlayNode {
    /// Bootstrap addresses other than our own (a bootstrap node lists itself too).
    var otherBootstrapAddresses: [IpAddressPort] {
        return bootstrapAddresses.filter { !ownCandidates.contains($0) }
    }

    var currentBootstrapAddress: IpAddressPort? {
        let others = otherBootstrapAddresses
        guard !others.isEmpty else { return nil }
        return others[join.bootstrapIndex % others.count]
    }

    /// Starts the node: joins through a bootstrap node, or starts the overlay alone when it
    /// may (§6.4.2.1: "some mechanism whereby nodes can determine that they are potentially
    /// the first node") and no other bootstrap node is configured.
    public func start(now: NodeTime) -> [NodeAction] {
        precondition(phase == .idle, "start called twice")
        startedAt = now
        transactions.startPurging(now: now.monotonic)
        if otherBootstrapAddresses.isEmpty {
            if configuration.mayStartOverlay {
                becomeFirst(now: now)
            } else {
                log(.error, "no bootstrap node to join through, and this node may not start the overlay")
            }
            return drain()
        }
        restartJoin(now: now)
        return drain()
    }

    func becomeFirst(now: NodeTime) {
        phase = .joined
        join = JoinProgress()
        log(.info, "first node of overlay \(configuration.overlayName): \(nodeId.hex)")
        startMaintenance(now: now)
    }

    func restartJoin(now: NodeTime) {
        join.reset()
        phase = .bootstrapping
        join.deadline = now.monotonic.adding(milliseconds: configuration.joinTimeoutMilliseconds)
        connectToBootstrap(now: now)
    }

    func connectToBootstrap(now: NodeTime) {
        guard let address = currentBootstrapAddress else { return }
        // Already linked to it (e.g. it attached to us): use that link.
        log(.info, "joining \(configuration.overlayName) through \(address.text)")
        outbox.append(.connect(address: address, expectedNodeId: nil))
    }

    /// The join through the current bootstrap node failed: the next one is tried after the
    /// backoff (never from within the failure's own call, so failures cannot recurse).
    func tryNextBootstrap(now: NodeTime) {
        join.bootstrapIndex += 1
        if join.bootstrapIndex % max(1, otherBootstrapAddresses.count) == 0 && configuration.mayStartOverlay {
            log(.warn, "no bootstrap node answered: starting the overlay alone")
            becomeFirst(now: now)
            return
        }
        scheduleJoinRetry(now: now)
    }

    func scheduleJoinRetry(now: NodeTime) {
        join.reset()
        phase = .bootstrapping
        let delay = join.backoffMilliseconds / 2 + jitter(join.backoffMilliseconds / 2 + 1)
        join.failuresInARow += 1
        join.retryAt = now.monotonic.adding(milliseconds: delay)
        log(.info, "joining again in \(delay) ms")
    }

    /// §11.4: "send an Attach request over this connection with the destination Resource-ID
    /// set to the Joining Node's Node-ID plus 1".
    func sendBootstrapAttach(now: NodeTime) {
        let target = chord.selfId.adding(1)
        let request = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: candidates, sendUpdate: true)
        guard let link = join.bootstrapLink, let bootstrap = links.nodeId(of: link) else { return }
        // We are not in the ring yet: the request goes to the bootstrap node, which routes it.
        let destination: [Destination] = [.resource(ResourceId(bytes: target.bytes)!)]
        startRequest(to: destination, body: .attachRequest(request), purpose: .bootstrapAttach, now: now, on: link)
        log(.debug, "attach to \(target.hex) through \(bootstrap.hex)")
    }

    /// The admitting peer sent its Update: its neighbors that belong in our table are being
    /// attached to; the Join goes out when those attaches are done (§10.5).
    func neighborsLearned(now: NodeTime) {
        join.neighborsPending = Set(attaches.requested.keys)
        maybeSendJoin(now: now)
    }

    func attachCompleted(_ peer: NodeId, now: NodeTime) {
        attaches.requested[peer] = nil
        if join.neighborsPending.remove(peer) != nil { maybeSendJoin(now: now) }
    }

    func maybeSendJoin(now: NodeTime) {
        guard phase == .attaching, !join.joinSent, join.neighborsPending.isEmpty,
            let admitting = join.admittingPeer, links.isPeer(admitting)
        else { return }
        join.joinSent = true
        phase = .joining
        startRequest(to: [.node(admitting)], body: .joinRequest(JoinReq(joiningPeerId: nodeId)), purpose: .join(admittingPeer: admitting), now: now)
    }

    /// §10.5 steps 8-9: admitted; Update every linked node, and start filling fingers.
    func joinAccepted(by admitting: NodeId, now: NodeTime) {
        phase = .joined
        join = JoinProgress()
        log(.info, "joined \(configuration.overlayName) as \(nodeId.hex), admitted by \(admitting.hex)")
        startMaintenance(now: now)
        scheduleUpdateFlush(now: now)
    }

    /// Attaches to `target`, source-routed through `through` when given (§10.6).
    func attach(to target: NodeId, through: NodeId?, now: NodeTime) {
        guard attaches.requested[target] == nil, attaches.count < configuration.maximumLinks else { return }
        let destination: [Destination] = through.map { [.node($0), .node(target)] } ?? [.node(target)]
        let request = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: candidates, sendUpdate: true)
        if startRequest(to: destination, body: .attachRequest(request), purpose: .attach(target: target, viaUpdateFrom: through), now: now) != nil {
            attaches.requested[target] = now.monotonic
        }
    }
}
