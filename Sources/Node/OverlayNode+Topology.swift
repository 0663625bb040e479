import Chord
import Crypto
import Reload
import Wire

// The topology requests a peer answers: Attach (§6.5.1, No-ICE §6.5.1.11), Join (§6.4.2.1,
// §10.5), Update (§6.4.2.3, §10.7.3), Leave (§6.4.2.2, §10.9), RouteQuery (§6.4.2.4, §10.8),
// Probe (§6.4.2.5).
extension OverlayNode {
    /// Our No-ICE candidates: DTLS-UDP-SR-NO-ICE host candidates.
    var candidates: [IceCandidate] {
        return ownCandidates.map {
            IceCandidate(addrPort: $0, overlayLink: .dtlsUdpSrNoIce, foundation: Array("1".utf8), priority: 1, type: .host)
        }
    }

    func handleAttach(_ attach: AttachReqAns, _ request: IncomingRequest, now: NodeTime) {
        let requester = request.originator
        guard !attach.mixesIceAndNoIce,
            let candidate = attach.candidates.first(where: { $0.overlayLink == .dtlsUdpSrNoIce })
        else {
            answerError(to: request.header, payload: [], from: request.from, code: .incompatibleWithOverlay,
                        text: "this overlay links with DTLS-UDP-SR-NO-ICE candidates only", now: now)
            return
        }
        // §6.5.1.2: both sides attaching at once: the smaller Node-ID gives way. An Attach of
        // ours past the glare window went astray (to an earlier instance of the requester, or
        // routed elsewhere while the ring repairs): we give way too.
        if let sent = attaches.requested[requester], links.link(to: requester) == nil {
            if nodeId < requester || now.monotonic.milliseconds(since: sent) > AttachState.glareMilliseconds {
                cancelAttach(to: requester)
            } else {
                answerError(to: request.header, payload: [], from: request.from, code: .inProgress, text: "attach in progress", now: now)
                return
            }
        }
        guard attaches.count < configuration.maximumLinks || links.link(to: requester) != nil else {
            answerError(to: request.header, payload: [], from: request.from, code: .forbidden, text: "too many attaches", now: now)
            return
        }
        let reply = AttachReqAns(ufrag: [], password: [], role: Array("active".utf8), candidates: candidates, sendUpdate: false)
        answer(request.header, from: request.from, body: .attachAnswer(reply), now: now)
        if links.link(to: requester) != nil {
            if attach.sendUpdate { sendUpdate(to: requester, full: true, now: now) }
            return
        }
        // We answered, so we are "active": we open the link; its certificate must be the
        // requester's (§6.5.1.11).
        outbox.append(.connect(address: candidate.addrPort, expectedNodeId: requester))
        if attach.sendUpdate {
            attaches.sendUpdateOnLink[requester] = now.monotonic.adding(milliseconds: configuration.attachLinkTimeoutMilliseconds)
        }
    }

    func cancelAttach(to target: NodeId) {
        attaches.requested[target] = nil
        transactions.cancel { if case .attach(let wanted, _) = $0 { return wanted == target } else { return false } }
    }

    /// §6.4.2.1: the joining Node-ID must be the signer's and the link's.
    func handleJoin(_ join: JoinReq, _ request: IncomingRequest, now: NodeTime) {
        let joining = join.joiningPeerId
        guard request.signer.nodeIds.contains(joining.bytes), request.from == joining, request.header.viaList.isEmpty,
            phase == .joined
        else {
            answerError(to: request.header, payload: [], from: request.from, code: .forbidden,
                        text: "JoinReq must come from the joining node over its own link", now: now)
            return
        }
        answer(request.header, from: request.from, body: .joinAnswer(JoinAns()), now: now)
        links.markPeer(request.link)
        let change = chord.add(ring(joining))
        log(.info, "admitted \(joining.hex) (\(request.signer.userName))")
        // §10.5 steps 7-8: Update the joining node (it is now our predecessor) and everyone else.
        sendUpdate(to: joining, full: false, now: now)
        if change.any { scheduleUpdateFlush(now: now) }
    }

    /// §10.7.3: the sender's view of the ring. A linked sender is in the overlay: it becomes a
    /// routing peer. Peers it names that belong in our neighbor table are attached to, source
    /// routed through the sender (§10.6).
    func handleUpdate(_ update: ChordUpdate, _ request: IncomingRequest, now: NodeTime) {
        answer(request.header, from: request.from, body: .updateAnswer, now: now)
        let sender = request.originator
        var change = ChordTable.Change()
        if let link = links.link(to: sender) {
            links.markPeer(link)
            change = chord.add(ring(sender))
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
                let added = chord.add(ring(candidate))
                change.neighbors = change.neighbors || added.neighbors
                change.fingers = change.fingers || added.fingers
                change.responsibleRange = change.responsibleRange || added.responsibleRange
            } else if wantsNeighbor(candidate) {
                attach(to: candidate, through: links.link(to: sender) != nil ? sender : nil, now: now)
                rememberCandidate(candidate)
            } else if (attaches.requested[candidate] != nil) {
                rememberCandidate(candidate)
            }
        }
        if phase == .attaching && join.admittingPeer == sender { neighborsLearned(now: now) }
        if change.any && phase == .joined { scheduleUpdateFlush(now: now) }
    }

    func rememberCandidate(_ candidate: NodeId) {
        guard attaches.retry[candidate] == nil, attaches.retry.count < AttachState.maximumRetries else { return }
        attaches.retry[candidate] = AttachState.attemptsPerCandidate
    }

    /// The candidates still wanted and not linked get another Attach; linked ones take their
    /// slot; the rest are forgotten.
    func retryCandidates(now: NodeTime) {
        for (candidate, left) in attaches.retry {
            if links.isPeer(candidate) {
                if chord.add(ring(candidate)).any { scheduleUpdateFlush(now: now) }
                attaches.retry[candidate] = nil
            } else if left > 0 && wantsNeighbor(candidate) {
                attach(to: candidate, through: nil, now: now)
                attaches.retry[candidate] = left - 1
            } else if !(attaches.requested[candidate] != nil) {
                attaches.retry[candidate] = nil
            }
        }
    }

    /// True when `candidate` is unknown and would enter our successor or predecessor list.
    func wantsNeighbor(_ candidate: NodeId) -> Bool {
        guard candidate != nodeId, candidate.length == NodeConfiguration.nodeIdLength, !candidate.isWildcard,
            links.link(to: candidate) == nil, !(attaches.requested[candidate] != nil)
        else { return false }
        var trial = chord
        _ = trial.add(ring(candidate))
        return trial.successors.contains(ring(candidate)) || trial.predecessors.contains(ring(candidate))
    }

    /// §10.9: the leaving peer goes; the peers it names are candidates for its place.
    func handleLeave(_ leave: LeaveReq, _ request: IncomingRequest, now: NodeTime) {
        let leaving = leave.leavingPeerId
        guard request.signer.nodeIds.contains(leaving.bytes), request.from == leaving else {
            answerError(to: request.header, payload: [], from: request.from, code: .forbidden,
                        text: "LeaveReq must come from the leaving node over its own link", now: now)
            return
        }
        answer(request.header, from: request.from, body: .leaveAnswer, now: now)
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
    }

    /// §10.8: where we would route a message for the destination.
    func handleRouteQuery(_ query: RouteQueryReq, _ request: IncomingRequest, now: NodeTime) {
        var next = nodeId
        if let hop = firstHop(toward: query.destination), let peer = links.nodeId(of: hop) { next = peer }
        answer(request.header, from: request.from, body: .routeQueryAnswer(ChordRouteQueryAns(nextPeer: next)), now: now)
        if query.sendUpdate && links.link(to: request.originator) != nil {
            sendUpdate(to: request.originator, full: true, now: now)
        }
    }

    /// §6.4.2.5: the share of the ring we answer for (in 1/2^32 units), records, uptime.
    func handleProbe(_ probe: ProbeReq, _ request: IncomingRequest, now: NodeTime) {
        var information: [ProbeInformation] = []
        for type in probe.requestedInfo.prefix(ReloadLimits.probeInformation) {
            switch type {
            case .responsibleSet: information.append(.responsibleSet(responsibleShare))
            case .numResources: information.append(.numResources(0))
            case .uptime: information.append(.uptime(uptimeSeconds(now)))
            default: continue
            }
        }
        answer(request.header, from: request.from, body: .probeAnswer(ProbeAns(probeInfo: information)), now: now)
    }

    var responsibleShare: UInt32 {
        guard let predecessor = chord.predecessors.first else { return UInt32.max }
        return UInt32(truncatingIfNeeded: predecessor.distance(to: chord.selfId) >> 96)
    }
}
