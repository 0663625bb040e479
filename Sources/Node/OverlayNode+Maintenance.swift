import Chord
import Crypto
import Reload
import Wire

// Keeping the ring right (RFC 6940 §10.7): Updates on change (reactive) and periodically with
// jitter, finger refresh, expired state, retransmissions, join timeouts, and Leave (§10.9).
extension OverlayNode {
    /// Does what is due at `now`; call at `nextDeadline` (calling earlier is harmless).
    public func tick(now: NodeTime) -> [NodeAction] {
        retransmitDue(now: now)
        if let deadline = join.deadline, deadline <= now.monotonic, phase != .joined && phase != .stopped {
            log(.warn, "join did not complete in \(configuration.joinTimeoutMilliseconds) ms: starting over")
            join.bootstrapIndex += 1
            restartJoin(now: now)
        }
        if let retry = join.retryAt, retry <= now.monotonic, phase == .bootstrapping {
            restartJoin(now: now)
        }
        expireAttaches(now: now)
        transactions.purgeAnswersIfDue(now: now.monotonic)
        if phase == .joined {
            maintain(now: now)
            maintainStorage(now: now)
            publishCertificateIfDue(now: now)
        }
        return drain()
    }

    func maintain(now: NodeTime) {
        if let flush = maintenance.updateFlush, flush <= now.monotonic {
            maintenance.updateFlush = nil
            // §10.7.3: "send an Update request to each member of its Connection Table".
            for link in links.allLinks {
                if let peer = links.nodeId(of: link) { sendUpdate(to: peer, full: false, now: now) }
            }
        }
        if let next = maintenance.nextUpdate, next <= now.monotonic {
            // §10.7.4.1: periodically to every neighbor, offset at random.
            for peer in chord.neighbors { sendUpdate(to: nodeId(peer), full: false, now: now) }
            maintenance.nextUpdate = now.monotonic.adding(
                milliseconds: configuration.updateIntervalMilliseconds * 3 / 4 + jitter(configuration.updateIntervalMilliseconds / 2))
        }
        if let next = maintenance.nextLivenessCheck, next <= now.monotonic {
            checkLiveness(now: now)
            retryCandidates(now: now)
            maintenance.nextLivenessCheck = now.monotonic.adding(milliseconds: configuration.livenessIntervalMilliseconds / 2 + jitter(1000))
        }
        if let next = maintenance.nextFingerRefresh, next <= now.monotonic {
            refreshFingers(now: now)
            maintenance.nextFingerRefresh = now.monotonic.adding(
                milliseconds: configuration.fingerRefreshIntervalMilliseconds * 3 / 4 + jitter(configuration.fingerRefreshIntervalMilliseconds / 2))
        }
    }

    func startMaintenance(now: NodeTime) {
        maintenance.nextUpdate = now.monotonic.adding(milliseconds: configuration.updateIntervalMilliseconds / 2 + jitter(configuration.updateIntervalMilliseconds / 2))
        // The first finger search soon after joining (§10.5), then every chord-ping-interval.
        maintenance.nextFingerRefresh = now.monotonic.adding(milliseconds: 1000 + jitter(1000))
        maintenance.nextLivenessCheck = now.monotonic.adding(milliseconds: configuration.livenessIntervalMilliseconds / 2 + jitter(1000))
        replication.start(now: now)
        certificates.start(now: now)
    }

    /// §10.7.1: ping the neighbors we have not heard from lately; the link layer sees whether
    /// the ping is acknowledged, and the ping's own retransmissions bound the wait.
    func checkLiveness(now: NodeTime) {
        for peer in chord.neighbors {
            let neighbor = nodeId(peer)
            guard let link = links.link(to: neighbor), let entry = links.entries[link] else { continue }
            let silent = now.monotonic.milliseconds(since: entry.lastHeard) >= configuration.livenessIntervalMilliseconds
            let already = transactions.contains { $0 == .liveness(neighbor) }
            if silent && !already {
                startRequest(to: [.node(neighbor)], body: .pingRequest(PingReq()), purpose: .liveness(neighbor), now: now)
            }
        }
    }

    func scheduleUpdateFlush(now: NodeTime) {
        guard phase == .joined, configuration.reactiveRecovery || maintenance.updateFlush == nil else { return }
        if maintenance.updateFlush == nil { maintenance.updateFlush = now.monotonic }
    }

    func sendUpdate(to peer: NodeId, full: Bool, now: NodeTime) {
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
        startRequest(to: [.node(peer)], body: .updateRequest(update), purpose: .update(to: peer), now: now)
    }

    /// §10.7.4.2, alternative 1: walk the empty fingers from i = 1 and search each with
    /// probability 1/2 (favouring the far fingers), Attaching to a point of its range.
    func refreshFingers(now: NodeTime) {
        var started = 0
        for index in chord.emptyFingers where started < OverlayNode.fingerAttachesPerRefresh {
            guard (try? random.uniform(below: 2)) == 1 else { continue }
            let target = chord.fingerTarget(index)
            let already = transactions.contains { if case .fingerAttach(let wanted) = $0 { return wanted == index } else { return false } }
            if already { continue }
            let request = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: candidates, sendUpdate: true)
            startRequest(to: [.resource(ResourceId(bytes: target.bytes)!)], body: .attachRequest(request),
                         purpose: .fingerAttach(index: index), now: now)
            started += 1
        }
    }

    static var fingerAttachesPerRefresh: Int { 4 }

    func expireAttaches(now: NodeTime) {
        for (peer, deadline) in attaches.awaitingLink where deadline <= now.monotonic {
            attaches.awaitingLink[peer] = nil
            // The Attach was answered but its link never came: it may be tried again when an
            // Update names the peer once more.
            attaches.requested[peer] = nil
            if join.neighborsPending.remove(peer) != nil { maybeSendJoin(now: now) }
        }
        for (peer, deadline) in attaches.sendUpdateOnLink where deadline <= now.monotonic {
            attaches.sendUpdateOnLink[peer] = nil
        }
    }

    /// §10.9: tell the neighbors we leave, with the peers that can take our place; then stop.
    public func leave(now: NodeTime) -> [NodeAction] {
        guard phase == .joined else {
            phase = .stopped
            return drain()
        }
        let predecessors = chord.predecessors.map { nodeId($0) }
        let successors = chord.successors.map { nodeId($0) }
        for peer in chord.neighbors {
            // To a predecessor we are its successor: from_succ with our successors.
            let data: ChordLeaveData = chord.predecessors.contains(peer)
                ? .fromSucc(successors: successors) : .fromPred(predecessors: predecessors)
            startRequest(to: [.node(nodeId(peer))], body: .leaveRequest(LeaveReq(leavingPeerId: nodeId, overlaySpecificData: data)),
                         purpose: .leave(to: nodeId(peer)), now: now)
        }
        phase = .stopped
        log(.info, "left the overlay")
        return drain()
    }
}
