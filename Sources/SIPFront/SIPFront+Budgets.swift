import SIP
import Wire

extension SIPFront {
    /// The Digest failure limiters of a front: per source and per user name alike.
    static func failureLimiter(capacity: Int) -> FailureRateLimiter {
        return FailureRateLimiter(
            capacity: capacity, allowedFailures: SIPFrontLimits.allowedRegisterFailures,
            decaySeconds: SIPFrontLimits.registerFailureDecaySeconds, basePenaltySeconds: SIPFrontLimits.basePenaltySeconds,
            maximumPenaltySeconds: SIPFrontLimits.maximumPenaltySeconds)
    }

    /// Per-source budgets, checked before any Digest or overlay work: a REGISTER
    /// takes a token of its source's REGISTER bucket; an INVITE or other request outside a
    /// dialog (no To tag, RFC 3261 §12.2) one of its request bucket. ACK and CANCEL belong to
    /// a transaction already admitted, and requests inside a dialog to a call already set up;
    /// requests from other peers are budgeted by their links. The source is the address
    /// without its port (a guesser can use any port).
    ///
    /// Over budget: 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4: "temporarily
    /// unable to process the request due to a temporary overloading"; §20.33: Retry-After
    /// says when the service is expected to be available). Not 403 (§21.4.4 says
    /// authorization will not help, and a phone gives up) nor 480 (about the callee). Not
    /// remembered for retransmissions: a flood of refusals would push real answers out of the
    /// table of answered requests, and a retransmission is refused as cheaply again.
    mutating func refuseOverBudget(
        _ request: SIPMessage, from hop: SIPHop, branch: [UInt8], method: SIPMethod, now: WallTime
    ) -> [SIPFrontAction]? {
        guard case .phone(let address) = hop else { return nil }
        let decision: TokenBucketTable.Decision
        if method == .register {
            decision = registerBuckets.admit(address.host, now: now)
        } else if method != .ack && method != .cancel && request.to.tag == nil {
            decision = requestBuckets.admit(address.host, now: now)
        } else {
            return nil
        }
        guard case .refused(let retryAfterSeconds) = decision else { return nil }
        precondition(retryAfterSeconds > 0)
        if method == .register { counters.registersRateLimited += 1 } else { counters.requestsRateLimited += 1 }
        var response = SIPMessage.response(
            to: request, statusCode: 503, reason: Array("Service Unavailable (rate limit)".utf8), toTag: tag(branch: branch, request))
        response.otherHeaders.append(SIPHeaderField(name: Array("Retry-After".utf8), value: Array(String(retryAfterSeconds).utf8)))
        return [send(response.serialize(), to: hop)]
    }

    /// Sources and user names with a bucket or failures now (for tests and status).
    var sourceTableCounts: (register: Int, request: Int, failures: Int, userFailures: Int) {
        return (registerBuckets.count, requestBuckets.count, failures.count, userFailures.count)
    }
}
