import Chord
import Crypto
import Reload
import Wire

// Answers to our requests (RFC 6940 §6.2.2), matched to them by transaction id, and requests
// that got none (§6.2.1): each outcome goes to the part that sent the request, by its purpose.
// Requests for this node: OverlayNode+Requests.
extension OverlayNode {
    /// `from`: the link peer the answer came from, the first hop of the path it answers
    /// (answers retrace the request's via list, §6.2.2).
    func handleAnswer(_ message: Message, signer: VerifiedIdentity, from: NodeId, now: NodeTime) {
        let transactionId = message.header.transactionId
        guard let pending = transactions.pending(transactionId) else {
            counters.droppedUnexpectedResponse += 1
            return
        }
        // §6.3.4: an answer to a request for a Node-ID must be signed by that Node-ID.
        if case .node(let target)? = pending.destination.last, !target.isWildcard, !signer.nodeIds.contains(target.bytes) {
            counters.droppedUntrustedSigner += 1
            log(.info, "answer to \(message.contents.code.rfcName) for \(target.hex) signed by another node: dropped")
            return
        }
        guard let responderBytes = signer.nodeIds.first, let responder = NodeId(bytes: responderBytes) else {
            counters.droppedUntrustedSigner += 1
            return
        }
        // §6.3.4, check 2: an answer to a request for a Resource-ID from a node farther from it
        // than a neighbor we know is dropped, and the request goes again by another path.
        if case .resource(let target)? = pending.destination.last, let key = RingId(bytes: target.bytes),
            !topology.chord.isPlausibleResponder(signer.nodeIds.compactMap { RingId(bytes: $0) }, for: key)
        {
            counters.droppedNotResponsible += 1
            log(.info, "answer to \(message.contents.code.rfcName) for \(key.hex) from \(responder.hex), not responsible: sent again")
            transactions.retryNow(transactionId, now: now.monotonic)
            transactions.excuse(transactionId, firstHop: from)
            // Charged when the signer can only be a forwarder (it lies between us and the key,
            // where §10.3 routes): it answered for what it should have passed on. One past the
            // key and past our nearest neighbor there may be honest with another view of the
            // ring (it does not know that neighbor, or banned it, or saw it die).
            let signerIds = signer.nodeIds.compactMap { RingId(bytes: $0) }
            if topology.chord.isBeforeKey(signerIds, key) {
                perform(topology.charge(responder, user: signer.isSelfSigned ? nil : signer.userName, .notResponsible, now: now), now: now)
            }
            return
        }
        _ = transactions.answered(transactionId)
        routeAnswered(pending, through: from, now: now)
        if case .fetchAnswer(let fetched) = message.contents.body {
            learnCertificates(message.securityBlock.certificates, now: now)
            learnCertificateValues(fetched, now: now)
        }
        if case .error(let error) = message.contents.body {
            counters.countErrorReceived(error.code)
            answeredWithError(pending, error, responder: responder, now: now)
            return
        }
        answered(pending, body: message.contents.body, responder: responder, now: now)
    }

    func answered(_ pending: TransactionTable.Pending, body: MessageBody, responder: NodeId, now: NodeTime) {
        switch (pending.purpose, body) {
        case (.bootstrapAttach, .attachAnswer):
            perform(topology.bootstrapAttachAnswered(by: responder, now: now), now: now)
        case (.attach(let target, _), .attachAnswer):
            perform(topology.attachAnswered(target: target, by: responder, now: now), now: now)
        case (.fingerAttach, .attachAnswer):
            perform(topology.attachAnswered(target: nil, by: responder, now: now), now: now)
        case (.join(let admitting), .joinAnswer):
            perform(topology.joinAnswered(by: admitting, now: now), now: now)
        case (.local(let handle), _), (.relay(let handle, _), _):
            completeLocal(handle, pending: pending, body: body, responder: responder, now: now)
        case (.update, .updateAnswer), (.leave, .leaveAnswer), (.liveness, .pingAnswer), (.replicate, .storeAnswer),
            (.handoff, .storeAnswer):
            break
        case (.publishCertificate, .storeAnswer):
            certificatePublicationEnded(success: true, reason: "", now: now)
        case (.certificateLookup(let nodeId), .fetchAnswer(let answer)):
            certificateLookupEnded(nodeId, answer: answer, now: now)
        default:
            counters.droppedUnexpectedResponse += 1
            if case .publishCertificate = pending.purpose { certificatePublicationEnded(success: false, reason: "unexpected answer", now: now) }
            if case .certificateLookup(let nodeId) = pending.purpose { certificateLookupEnded(nodeId, answer: nil, now: now) }
            log(.debug, "\(body.code.rfcName) does not answer \(pending.purpose)")
        }
    }

    func answeredWithError(_ pending: TransactionTable.Pending, _ error: ErrorResponse, responder: NodeId, now: NodeTime) {
        let text = String(decoding: error.info, as: UTF8.self)
        switch pending.purpose {
        case .relay(let handle, _):
            outbox.append(.completed(handle, .error(error.code, text)))
        case .local(let handle):
            if fetches[handle] != nil {
                fetchFailed(handle, .error(error.code, text), responder: responder, now: now)
            } else {
                outbox.append(.completed(handle, .error(error.code, text)))
            }
        case .replicate(let job):
            copyRefused(job, error, "replica store to \(responder.hex)", now: now)
        case .handoff(let job):
            copyRefused(job, error, "hand-off to \(responder.hex)", now: now)
        default:
            log(.info, "\(responder.hex) answered \(error.code.rfcName) (\(text))")
            requestFailed(pending, reason: error.code.rfcName, now: now)
        }
    }

    /// A replica or hand-off Store was refused: sent again later, unless the peer has these
    /// values already (Error_Data_Too_Old: §10.7.3 sends what may be there).
    func copyRefused(_ job: HandoffJob, _ error: ErrorResponse, _ what: String, now: NodeTime) {
        if error.code == .dataTooOld { return }
        log(.info, "\(what): \(error.code.rfcName) (\(String(decoding: error.info, as: UTF8.self))): again later")
        take(replication.retry(job, now: now))
    }

    /// A request of ours failed (error answer, or no answer after every retransmission).
    func requestFailed(_ pending: TransactionTable.Pending, reason: String, now: NodeTime) {
        switch pending.purpose {
        case .bootstrapAttach, .join:
            perform(topology.joinStepFailed(reason: reason, now: now), now: now)
        case .attach(let target, _):
            perform(topology.attachFailed(target: target), now: now)
        case .local(let handle):
            if fetches[handle] != nil {
                fetchFailed(handle, .failed(reason), responder: nil, now: now)
            } else {
                outbox.append(.completed(handle, .failed(reason)))
            }
        case .liveness(let neighbor):
            perform(topology.neighborUnresponsive(neighbor, now: now), now: now)
        case .relay(let handle, _):
            outbox.append(.completed(handle, .failed(reason)))
        case .handoff(let job), .replicate(let job):
            take(replication.retry(job, now: now))
        case .update, .leave, .fingerAttach:
            break
        case .publishCertificate:
            certificatePublicationEnded(success: false, reason: reason, now: now)
        case .certificateLookup(let nodeId):
            certificateLookupEnded(nodeId, answer: nil, now: now)
        }
    }

    /// The path through `hop` answered: it is credited, and each first hop tried before it,
    /// which gave no answer, has a failed route (Misbehaviour weighs the two; charged once the
    /// hop is heard from again, `Topology.routeFailed`).
    func routeAnswered(_ pending: TransactionTable.Pending, through hop: NodeId, now: NodeTime) {
        guard hop != nodeId, pending.triedFirstHops.contains(hop) else { return }
        topology.routeAnswered(through: hop, now: now)
        // Only hops tried before the one that answered: a later one had no time to.
        for earlier in pending.triedFirstHops.prefix(while: { $0 != hop }) where !pending.excusedFirstHops.contains(earlier) {
            topology.routeFailed(through: earlier)
        }
    }
}
