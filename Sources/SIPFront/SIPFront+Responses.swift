import Reload
import SIP
import Wire

extension SIPFront {
    /// RFC 3261 §16.7: a response to a request we forwarded. It must carry our branch and
    /// come from the hop we sent to; our Via is removed (step 9) and it goes to the previous
    /// hop, except a 100 (step 5) and a retransmitted non-2xx final response.
    mutating func handleResponse(_ response: SIPMessage, from hop: SIPHop, now: WallTime) -> [SIPFrontAction] {
        guard let branch = response.via.first?.branch, let index = transactions.index(ourBranch: branch),
            transactions[index].downstream == hop, response.via.count >= 2, let status = response.statusCode
        else { return [log(.debug, "response for no transaction of ours dropped")] }
        // The answer to a CANCEL we sent ourselves ends here (CANCEL is hop by hop, §16.10).
        if response.cseq.method == .cancel { return [] }
        guard response.cseq.method == transactions[index].method else { return [log(.debug, "response of another method dropped")] }
        var upstream = response
        upstream.via.removeFirst()
        let bytes = upstream.serialize()
        let destination = transactions[index].upstream
        if status < 200 {
            transactions[index].provisionalReceived = true
            var actions = transactions[index].cancelPending ? cancelDownstream(index) : []
            transactions[index].cancelPending = false
            guard status != 100, transactions[index].state == .forwarded else { return actions }
            transactions[index].lastUpstreamResponse = bytes
            actions.append(send(bytes, to: destination))
            return actions
        }
        if status < 300 {
            // Step 5: every 2xx is forwarded, retransmissions too (the UAC's ACK needs them).
            complete(index, response: bytes, now: now)
            return [send(bytes, to: destination)]
        }
        // A non-2xx final response: we ACK it downstream (§17.1.1.3), the caller ACKs us.
        var actions = transactions[index].method == .invite ? acknowledgeDownstream(index, response) : []
        if transactions[index].state == .completed { return actions }
        complete(index, response: bytes, now: now)
        actions.append(send(bytes, to: destination))
        return actions
    }

    mutating func complete(_ index: Int, response: [UInt8], now: WallTime) {
        transactions[index].state = .completed
        transactions[index].lastUpstreamResponse = response
        // Timer J / D: kept for retransmissions of the request and of a 2xx.
        transactions[index].deadline = now.adding(seconds: SIPFrontLimits.transactionSeconds)
    }

    /// Our own final response to a request we could not forward (or that timed out).
    mutating func fail(_ index: Int, _ status: Int, _ reason: String, now: WallTime) -> [SIPFrontAction] {
        let transaction = transactions[index]
        guard transaction.state != .completed else { return [] }
        let response = SIPMessage.response(
            to: transaction.request, statusCode: status, reason: Array(reason.utf8), toTag: tag(branch: transaction.upstreamBranch, transaction.request))
        let bytes = response.serialize()
        complete(index, response: bytes, now: now)
        return [send(bytes, to: transaction.upstream)]
    }

    /// RFC 3261 §16.10: a CANCEL is answered 200 at once and, if its INVITE was forwarded,
    /// sent on as our own CANCEL; before the forwarding the INVITE ends with 487.
    mutating func handleCancel(_ request: SIPMessage, from hop: SIPHop, branch: [UInt8], now: WallTime) -> [SIPFrontAction] {
        guard let index = transactions.index(upstream: hop, branch: branch, method: .invite) else {
            // We keep no state to cancel: the CANCEL has nothing to act on here.
            return answer(request, to: hop, branch: branch, status: 481, reason: "Call/Transaction Does Not Exist", now: now)
        }
        var actions = answer(request, to: hop, branch: branch, status: 200, reason: "OK", now: now)
        switch transactions[index].state {
        case .lookingUp:
            actions += fail(index, 487, "Request Terminated", now: now)
        case .forwarded:
            // §9.1: "If no provisional response has been received, the CANCEL request MUST
            // NOT be sent; rather, the client MUST wait for the arrival of a provisional response".
            if transactions[index].provisionalReceived {
                actions += cancelDownstream(index)
            } else {
                transactions[index].cancelPending = true
            }
        case .completed:
            break
        }
        return actions
    }

    /// §9.1: CANCEL with the Request-URI, Call-ID, To, From, CSeq number and Route of the
    /// INVITE we sent, and only our Via (same branch).
    func cancelDownstream(_ index: Int) -> [SIPFrontAction] {
        guard let forwarded = transactions[index].forwarded, let next = transactions[index].downstream else { return [] }
        let cancel = hopByHop(.cancel, forwarded, to: forwarded.to)
        return [send(cancel.serialize(), to: next)]
    }

    /// §17.1.1.3: the ACK of a non-2xx response: the INVITE's Request-URI, Call-ID, From,
    /// CSeq number, Route and our Via; To from the response (with its tag).
    func acknowledgeDownstream(_ index: Int, _ response: SIPMessage) -> [SIPFrontAction] {
        guard let forwarded = transactions[index].forwarded, let next = transactions[index].downstream else { return [] }
        return [send(hopByHop(.ack, forwarded, to: response.to).serialize(), to: next)]
    }

    func hopByHop(_ method: SIPMethod, _ forwarded: SIPMessage, to: SIPNameAddress) -> SIPMessage {
        guard let uri = forwarded.requestURI, let via = forwarded.via.first else { preconditionFailure("a forwarded request") }
        var request = SIPMessage.request(
            method: method, uri: uri, via: via, from: forwarded.from, to: to, callId: forwarded.callId, sequence: forwarded.cseq.number)
        request.routes = forwarded.routes
        return request
    }

    /// Transactions past their deadline: completed ones are forgotten; others are answered
    /// 408 (§16.8: Timer C also cancels an INVITE that had a provisional response).
    mutating func expireTransactions(now: WallTime) -> [SIPFrontAction] {
        var actions: [SIPFrontAction] = []
        var index = transactions.entries.count - 1
        while index >= 0 {
            if transactions[index].deadline <= now {
                if transactions[index].state == .completed {
                    transactions.remove(at: index)
                } else {
                    if transactions[index].method == .invite && transactions[index].provisionalReceived { actions += cancelDownstream(index) }
                    actions += fail(index, 408, "Request Timeout", now: now)
                }
            }
            index -= 1
        }
        return actions
    }
}
