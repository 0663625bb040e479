extension SIPMessage {
    /// A response to `request` (RFC 3261 §8.2.6): the same Via values in the same order, From,
    /// To, Call-ID and CSeq (§8.2.6.2), and Timestamp in a 100 (§8.2.6.1). When the request's
    /// To has no tag, `toTag` is added to it unless the status is 100 ("a UAS MUST add a tag
    /// to the To header field in the response (with the exception of the 100 (Trying)
    /// response, in which a tag MAY be present)"). A To tag of the request is kept (a
    /// request inside a dialog). The reason phrase's control characters become spaces.
    public static func response(to request: SIPMessage, statusCode: Int, reason: [UInt8], toTag: [UInt8]?) -> SIPMessage {
        precondition(request.isRequest, "a response answers a request")
        precondition((100...699).contains(statusCode), "status codes are 100 to 699 (RFC 3261 §21)")
        var to = request.to
        if to.tag == nil, statusCode != 100, let toTag {
            precondition(!toTag.isEmpty && toTag.allSatisfy(SIPCharacters.isToken), "a tag is a token (RFC 3261 §25.1)")
            to.parameters.set("tag", toTag)
        }
        var others: [SIPHeaderField] = []
        if statusCode == 100 { others = request.otherHeaders.filter { $0.isNamed("Timestamp") } }
        let phrase = Array(printable(reason).prefix(SIPLimits.maximumReasonBytes))
        return SIPMessage(
            startLine: .response(statusCode: statusCode, reason: phrase), via: request.via, from: request.from, to: to,
            callId: request.callId, cseq: request.cseq, otherHeaders: others)
    }

    /// A request (RFC 3261 §8.1.1) with the six headers it must carry; set other fields on
    /// the result. `via` is the top Via (with a branch starting z9hG4bK, §8.1.1.7).
    public static func request(
        method: SIPMethod, uri: SIPURI, via: SIPVia, from: SIPNameAddress, to: SIPNameAddress, callId: [UInt8], sequence: UInt32,
        maxForwards: Int = SIPLimits.defaultMaxForwards
    ) -> SIPMessage {
        precondition(sequence < SIPLimits.cseqLimit, "RFC 3261 §8.1.1.5: below 2**31")
        precondition((0...SIPLimits.maximumMaxForwards).contains(maxForwards))
        return SIPMessage(
            startLine: .request(method: method, uri: uri), via: [via], from: from, to: to, callId: callId,
            cseq: SIPCSeq(number: sequence, method: method), maxForwards: maxForwards)
    }

    /// What a server transport does with a request's top Via (RFC 3261 §18.2.1, RFC 3581 §4):
    /// adds `received` with the source address when it differs from sent-by, and fills an
    /// empty `rport` with the source port (then `received` is added in any case). `host` is
    /// the address as text ("192.0.2.1", or "2001:db8::1" without brackets).
    public mutating func markReceived(host: [UInt8], port: UInt16) {
        guard isRequest, var top = via.first else { return }
        let rportRequested = top.responsePort == .requested
        var sentBy = top.host
        if sentBy.first == UInt8(ascii: "["), sentBy.last == UInt8(ascii: "]") { sentBy = Array(sentBy.dropFirst().dropLast()) }
        if rportRequested || sentBy != SIPCharacters.lowercased(host) { top.parameters.set("received", host) }
        if rportRequested { top.parameters.set("rport", SIPCharacters.decimalText(UInt64(port))) }
        via[0] = top
    }
}
