import Chord
import Crypto
import Reload
import Wire

// Answers to our requests (RFC 6940 §6.2.2), matched to them by transaction id, and requests
// that got none (§6.2.1). Requests for this node: OverlayNode+Requests.
extension OverlayNode {
    func handleAnswer(_ message: Message, signer: VerifiedIdentity, now: NodeTime) {
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
        _ = transactions.answered(transactionId)
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
            join.admittingPeer = responder
            phase = .attaching
            log(.info, "admitting peer is \(responder.hex)")
            attachAnswered(by: responder, now: now)
            if links.isPeer(responder) { neighborsLearned(now: now) }
        case (.attach, .attachAnswer), (.fingerAttach, .attachAnswer):
            if case .attach(let target?, _) = pending.purpose, target != responder { attaches.requested[target] = nil }
            attachAnswered(by: responder, now: now)
        case (.join(let admitting), .joinAnswer):
            joinAccepted(by: admitting, now: now)
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

    /// The answerer opens the link to us (it is "active"); we wait for it, or it is there.
    func attachAnswered(by responder: NodeId, now: NodeTime) {
        if links.link(to: responder) != nil {
            attachCompleted(responder, now: now)
        } else {
            attaches.awaitingLink[responder] = now.monotonic.adding(milliseconds: configuration.attachLinkTimeoutMilliseconds)
        }
    }

    func answeredWithError(_ pending: TransactionTable.Pending, _ error: ErrorResponse, responder: NodeId, now: NodeTime) {
        let text = String(decoding: error.info, as: UTF8.self)
        if case .relay(let handle, _) = pending.purpose {
            outbox.append(.completed(handle, .error(error.code, text)))
            return
        }
        if case .local(let handle) = pending.purpose {
            if fetches[handle] != nil {
                fetchFailed(handle, .error(error.code, text), responder: responder, now: now)
            } else {
                outbox.append(.completed(handle, .error(error.code, text)))
            }
            return
        }
        if case .replicate(let job) = pending.purpose {
            if error.code == .dataTooOld { return }
            log(.info, "replica store to \(responder.hex): \(error.code.rfcName) (\(text)): again later")
            take(replication.retry(job, now: now))
            return
        }
        if case .handoff(let job) = pending.purpose {
            // Error_Data_Too_Old: the peer has these values already (§10.7.3 sends what may be there).
            if error.code == .dataTooOld { return }
            log(.info, "hand-off to \(responder.hex): \(error.code.rfcName) (\(text)): again later")
            take(replication.retry(job, now: now))
            return
        }
        log(.info, "\(responder.hex) answered \(error.code.rfcName) (\(text))")
        requestFailed(pending, reason: error.code.rfcName, now: now)
    }

    /// A request of ours failed (error answer, or no answer after every retransmission).
    func requestFailed(_ pending: TransactionTable.Pending, reason: String, now: NodeTime) {
        switch pending.purpose {
        case .bootstrapAttach, .join:
            if phase != .joined {
                log(.warn, "join step failed (\(reason)): starting over")
                tryNextBootstrapAfterFailure(now: now)
            }
        case .attach(let target, _):
            if let target {
                attaches.requested[target] = nil
                if join.neighborsPending.remove(target) != nil { maybeSendJoin(now: now) }
            }
        case .local(let handle):
            if fetches[handle] != nil {
                fetchFailed(handle, .failed(reason), responder: nil, now: now)
            } else {
                outbox.append(.completed(handle, .failed(reason)))
            }
        case .liveness(let neighbor):
            // No answer to five pings: the neighbor is gone even if its link looks up.
            if let link = links.link(to: neighbor) {
                log(.info, "neighbor \(neighbor.hex) does not answer: closing its link")
                outbox.append(.close(link: link))
                linkWentDown(link, now: now)
            }
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

    func tryNextBootstrapAfterFailure(now: NodeTime) {
        join.bootstrapIndex += 1
        scheduleJoinRetry(now: now)
    }
}
