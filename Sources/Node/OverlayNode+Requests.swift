import Chord
import Crypto
import Reload
import Wire

/// A verified request for this node and where it came from.
struct IncomingRequest {
    let header: ForwardingHeader
    /// The previous hop (the link's certified Node-ID).
    let from: NodeId
    let link: LinkId
    /// The node that sent the request (first via entry, or `from`).
    let originator: NodeId
    let signer: VerifiedIdentity
}

// Requests for this node (RFC 6940 §6.1.1), verified: each goes to the part that handles it,
// and is answered (§6.2.2: the destination list of an answer is the node the request came
// from followed by the request's via list reversed, so the answer retraces the request's path,
// symmetric recursive routing). Answers to our own requests: OverlayNode+Answers.
extension OverlayNode {
    /// A request destined to this node, signed by `signer` (verified).
    func handleRequest(_ message: Message, signer: VerifiedIdentity, from: NodeId, link: LinkId, now: NodeTime) {
        let header = message.header
        // The originator is the first via entry, or the previous hop when there is none; its
        // Node-ID must be in the signer's certificate (no one signs for another node).
        let originator: NodeId
        if case .node(let first)? = header.viaList.first { originator = first } else { originator = from }
        guard signer.nodeIds.contains(originator.bytes) else {
            counters.droppedUntrustedSigner += 1
            log(.info, "dropped \(message.contents.code.rfcName): signer is not its originator \(originator.hex)")
            return
        }
        if let error = configurationSequenceError(header.configurationSequence) {
            answerError(to: header, payload: [], from: from, code: error, text: "configuration sequence", now: now)
            return
        }
        if case .storeRequest = message.contents.body { learnCertificates(message.securityBlock.certificates, now: now) }
        let request = IncomingRequest(header: header, from: from, link: link, originator: originator, signer: signer)
        dispatch(message.contents.body, request, now: now)
    }

    /// §6.3.2.1: the configuration sequence must be ours (0xFFFF always passes).
    func configurationSequenceError(_ sequence: UInt16) -> ErrorCode? {
        let ours = configuration.configurationSequence
        if sequence == ours || sequence == 0xFFFF { return nil }
        // Sequence numbers wrap from 65534 to 0: compare by the shorter distance.
        return UInt16(truncatingIfNeeded: Int(ours) - Int(sequence)) < 0x8000 ? .configTooOld : .configTooNew
    }

    func dispatch(_ body: MessageBody, _ request: IncomingRequest, now: NodeTime) {
        switch body {
        case .pingRequest:
            let answerId = randomTransactionId()
            answer(request, body: .pingAnswer(PingAns(responseId: answerId, time: now.wall.millisecondsSince1970)), now: now)
        case .attachRequest(let attach): perform(topology.attachRequested(attach, request, now: now), answering: request, now: now)
        case .joinRequest(let join): perform(topology.joinRequested(join, request, now: now), answering: request, now: now)
        case .updateRequest(let update): perform(topology.updateReceived(update, request, now: now), answering: request, now: now)
        case .leaveRequest(let leave): perform(topology.leaveReceived(leave, request, now: now), answering: request, now: now)
        case .routeQueryRequest(let query): handleRouteQuery(query, request, now: now)
        case .probeRequest(let probe): handleProbe(probe, request, now: now)
        case .storeRequest(let store): handleStore(store, request, now: now)
        case .fetchRequest(let fetch): handleFetch(fetch, request, now: now)
        case .statRequest(let stat): handleStat(stat, request, now: now)
        case .findRequest(let find): handleFind(find, request, now: now)
        case .appAttachRequest(let appAttach): handleAppAttach(appAttach, request, now: now)
        case .configUpdateRequest:
            refuse(request, .forbidden, "\(body.code.rfcName) is not served by this peer", now: now)
        default:
            refuse(request, .invalidMessage, "unknown request \(body.code.rfcName)", now: now)
        }
    }

    /// §10.8: where we would route a message for the destination.
    func handleRouteQuery(_ query: RouteQueryReq, _ request: IncomingRequest, now: NodeTime) {
        var next = nodeId
        if let hop = topology.firstHop(toward: query.destination), let peer = topology.links.nodeId(of: hop) { next = peer }
        answer(request, body: .routeQueryAnswer(ChordRouteQueryAns(nextPeer: next)), now: now)
        if query.sendUpdate && topology.links.link(to: request.originator) != nil {
            perform(topology.fullUpdate(to: request.originator, now: now), now: now)
        }
    }

    /// §6.4.2.5: the share of the ring we answer for (in 1/2^32 units), records, uptime.
    func handleProbe(_ probe: ProbeReq, _ request: IncomingRequest, now: NodeTime) {
        var information: [ProbeInformation] = []
        for type in probe.requestedInfo.prefix(ReloadLimits.probeInformation) {
            switch type {
            case .responsibleSet: information.append(.responsibleSet(topology.responsibleShare))
            case .numResources: information.append(.numResources(0))
            case .uptime: information.append(.uptime(topology.uptimeSeconds(now)))
            default: continue
            }
        }
        answer(request, body: .probeAnswer(ProbeAns(probeInfo: information)), now: now)
    }

    func answer(_ request: IncomingRequest, body: MessageBody, now: NodeTime, certificates: [[UInt8]] = []) {
        answer(request.header, from: request.from, body: body, now: now, certificates: certificates)
    }

    func refuse(_ request: IncomingRequest, _ code: ErrorCode, _ text: String, now: NodeTime) {
        answerError(to: request.header, payload: [], from: request.from, code: code, text: text, now: now)
    }

    /// Signs and sends an answer to a request, and keeps it for retransmissions (§6.2.1).
    func answer(_ header: ForwardingHeader, from: NodeId, body: MessageBody, now: NodeTime, certificates: [[UInt8]] = []) {
        let destination: [Destination] = [.node(from)] + header.viaList.reversed()
        guard
            let bytes = buildMessage(
                destination: destination, body: body, transactionId: header.transactionId, certificates: certificates)
        else { return }
        // §6.6: no message over max-message-size; a Fetch whose values do not fit one answer is
        // told so (Error_Response_Too_Large) and may ask for fewer.
        if bytes.count > configuration.maxMessageSize {
            counters.droppedOverLimit += 1
            log(.warn, "\(body.code.rfcName) of \(bytes.count) bytes is over max-message-size \(configuration.maxMessageSize)")
            if case .error = body { return }
            let text = "the answer (\(bytes.count) bytes) is over max-message-size \(configuration.maxMessageSize): ask for fewer values"
            answer(header, from: from, body: .error(ErrorResponse(code: .responseTooLarge, text: text)), now: now)
            return
        }
        transactions.rememberAnswer(bytes, for: header.transactionId, now: now.monotonic)
        counters.requestsAnswered += 1
        transmit(bytes, toward: destination[0], now: now)
    }

    /// §6.3.3.1: an error response. Only requests are answered (an answer to an answer
    /// could loop); `payload` is the message after the header, to tell requests apart.
    func answerError(
        to header: ForwardingHeader, payload: ArraySlice<UInt8>, from: NodeId, code: ErrorCode, text: String, now: NodeTime
    ) {
        if !payload.isEmpty {
            let start = payload.startIndex
            guard payload.count >= 2 else { return }
            let raw = UInt16(payload[start]) << 8 | UInt16(payload[start + 1])
            guard raw != ReloadConstants.errorMessageCode && raw & 1 == 1 else { return }
        }
        counters.countErrorSent(code)
        answer(header, from: from, body: .error(ErrorResponse(code: code, text: text)), now: now)
    }
}
