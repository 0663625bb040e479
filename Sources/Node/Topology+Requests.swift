import Chord
import Crypto
import Reload
import Wire

// The topology requests addressed to this node (verified, §6.3.4): Attach (§6.5.1, No-ICE
// §6.5.1.11), Join (§6.4.2.1, §10.5), Update (§6.4.2.3, §10.7.3), Leave (§6.4.2.2, §10.9).
// Each returns the answer (or the error) among its actions, where it goes out.
extension Topology {
    mutating func attachRequested(_ attach: AttachReqAns, _ request: IncomingRequest, now: NodeTime) -> [TopologyAction] {
        let requester = request.originator
        guard !attach.mixesIceAndNoIce,
            let candidate = attach.candidates.first(where: { $0.overlayLink == .dtlsUdpSrNoIce })
        else {
            emit(.refuse(.incompatibleWithOverlay, "this overlay links with DTLS-UDP-SR-NO-ICE candidates only"))
            return taken()
        }
        // §6.5.1.2: both sides attaching at once: the smaller Node-ID gives way. An Attach of
        // ours past the glare window went astray (to an earlier instance of the requester, or
        // routed elsewhere while the ring repairs): we give way too.
        if let sent = attaches.requested[requester], links.link(to: requester) == nil {
            if nodeId < requester || now.monotonic.milliseconds(since: sent) > AttachState.glareMilliseconds {
                attaches.requested[requester] = nil
                emit(.forgetAttaches(to: requester))
            } else {
                emit(.refuse(.inProgress, "attach in progress"))
                return taken()
            }
        }
        guard attaches.count < configuration.maximumLinks || links.link(to: requester) != nil else {
            emit(.refuse(.forbidden, "too many attaches"))
            return taken()
        }
        // We would connect to the address the requester names (§6.5.1.13): only where the
        // policy allows, within its budget. Error_Forbidden: the request is understood and
        // refused by policy (§6.3.3.1), as for the other limits here.
        if links.link(to: requester) == nil, let refusal = connectPolicy.admit(candidate.addrPort, for: requester, now: now.wall) {
            emit(.note(.connectRefused(refusal)))
            emit(.refuse(.forbidden, refusal == .address ? "candidate address refused" : "too many connects requested"))
            return taken()
        }
        let reply = AttachReqAns(ufrag: [], password: [], role: Array("active".utf8), candidates: candidates, sendUpdate: false)
        emit(.answer(.attachAnswer(reply)))
        if links.link(to: requester) != nil {
            if attach.sendUpdate { sendUpdate(to: requester, full: true, now: now) }
            return taken()
        }
        // We answered, so we are "active": we open the link; its certificate must be the
        // requester's (§6.5.1.11).
        emit(.connect(candidate.addrPort, expectedNodeId: requester))
        if attach.sendUpdate {
            attaches.sendUpdateOnLink[requester] = now.monotonic.adding(milliseconds: configuration.attachLinkTimeoutMilliseconds)
        }
        return taken()
    }

    /// §6.4.2.1: the joining Node-ID must be the signer's and the link's.
    mutating func joinRequested(_ joinRequest: JoinReq, _ request: IncomingRequest, now: NodeTime) -> [TopologyAction] {
        let joining = joinRequest.joiningPeerId
        guard request.signer.nodeIds.contains(joining.bytes), request.from == joining, request.header.viaList.isEmpty,
            phase == .joined
        else {
            emit(.refuse(.forbidden, "JoinReq must come from the joining node over its own link"))
            return taken()
        }
        emit(.answer(.joinAnswer(JoinAns())))
        links.markPeer(request.link)
        let change = admit(joining)
        log(.info, "admitted \(joining.hex) (\(request.signer.userName))")
        // §10.5 steps 7-8: Update the joining node (it is now our predecessor) and everyone else.
        sendUpdate(to: joining, full: false, now: now)
        if change.any { scheduleUpdateFlush(now: now) }
        return taken()
    }

    /// §10.7.3: the sender's view of the ring. A linked sender is in the overlay: it becomes a
    /// routing peer. Peers it names that belong in our neighbor table are attached to, source
    /// routed through the sender (§10.6).
    mutating func updateReceived(_ update: ChordUpdate, _ request: IncomingRequest, now: NodeTime) -> [TopologyAction] {
        emit(.answer(.updateAnswer))
        let sender = request.originator
        var change = ChordTable.Change()
        if let link = links.link(to: sender) {
            links.markPeer(link)
            change = admit(sender)
        }
        var named: [NodeId] = []
        switch update.type {
        case .peerReady: break
        case .neighbors(let predecessors, let successors): named = predecessors + successors
        case .full(let predecessors, let successors, let fingers): named = predecessors + successors + fingers
        }
        for candidate in named where candidate != nodeId && candidate.length == NodeConfiguration.nodeIdLength && !candidate.isWildcard {
            if links.isPeer(candidate) {
                // Already linked and in the overlay (it sent us an Update or Join: a finger,
                // say): alive and proven, so it may take a neighbor slot without a new Attach
                // (§10.7.3). A linked node that has not joined yet (a peer restarting with its
                // old Node-ID) must not: requests routed to it would be dropped.
                let added = admit(candidate)
                change.neighbors = change.neighbors || added.neighbors
                change.fingers = change.fingers || added.fingers
                change.responsibleRange = change.responsibleRange || added.responsibleRange
            } else if wantsNeighbor(candidate) {
                attach(to: candidate, through: links.link(to: sender) != nil ? sender : nil, now: now)
                rememberCandidate(candidate)
            } else if attaches.requested[candidate] != nil {
                rememberCandidate(candidate)
            }
        }
        if phase == .attaching && join.admittingPeer == sender { neighborsLearned() }
        if change.any && phase == .joined { scheduleUpdateFlush(now: now) }
        return taken()
    }

    /// §10.9: the leaving peer goes; the peers it names are candidates for its place.
    mutating func leaveReceived(_ leave: LeaveReq, _ request: IncomingRequest, now: NodeTime) -> [TopologyAction] {
        let leaving = leave.leavingPeerId
        guard request.signer.nodeIds.contains(leaving.bytes), request.from == leaving else {
            emit(.refuse(.forbidden, "LeaveReq must come from the leaving node over its own link"))
            return taken()
        }
        emit(.answer(.leaveAnswer))
        log(.info, "\(leaving.hex) left")
        // Updates from peers that have not heard yet must not bring it back.
        links.markLeft(leaving)
        let change = chord.remove(ring(leaving))
        var named: [NodeId] = []
        switch leave.overlaySpecificData {
        case .fromSucc(let successors)?: named = successors
        case .fromPred(let predecessors)?: named = predecessors
        case nil: break
        }
        for candidate in named where candidate != leaving && wantsNeighbor(candidate) {
            attach(to: candidate, through: nil, now: now)
        }
        if change.any && phase == .joined { scheduleUpdateFlush(now: now) }
        return taken()
    }

    /// A neighbor named in an Update, to try again on the liveness tick.
    mutating func rememberCandidate(_ candidate: NodeId) {
        guard attaches.retry[candidate] == nil, attaches.retry.count < AttachState.maximumRetries else { return }
        attaches.retry[candidate] = AttachState.attemptsPerCandidate
    }

    /// True when `candidate` is unknown and would enter our successor or predecessor list.
    func wantsNeighbor(_ candidate: NodeId) -> Bool {
        guard candidate != nodeId, candidate.length == NodeConfiguration.nodeIdLength, !candidate.isWildcard,
            links.link(to: candidate) == nil, attaches.requested[candidate] == nil
        else { return false }
        var trial = chord
        _ = trial.add(ring(candidate))
        return trial.successors.contains(ring(candidate)) || trial.predecessors.contains(ring(candidate))
    }
}
