extension SIPHeaderAccumulator {
    /// callid = word [ "@" word ] (RFC 3261 §25.1).
    static func parseCallId(_ value: [UInt8]) throws(SIPError) -> [UInt8] {
        let parts = value.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(SIPCharacters.isWord) }) else {
            throw .malformedHeader(field: "Call-ID", reason: "not word [@ word]")
        }
        return value
    }

    /// 1*DIGIT up to `maximum` (Max-Forwards, Expires' delta-seconds, Content-Length).
    static func number(_ value: [UInt8], _ field: String, maximum: UInt64) throws(SIPError) -> UInt64 {
        guard let number = SIPCharacters.decimal(value, maximum: maximum) else {
            throw .malformedHeader(field: field, reason: "not a number up to " + String(decoding: SIPCharacters.decimalText(maximum), as: UTF8.self))
        }
        return number
    }

    /// contact-params = c-p-q / c-p-expires / contact-extension; c-p-expires = "expires"
    /// EQUAL delta-seconds; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
    static func checkContactParameters(_ parameters: [SIPParameter]) throws(SIPError) {
        if let expires = parameters.parameter("expires") {
            guard let value = expires.value, SIPCharacters.decimal(value, maximum: SIPLimits.maximumDeltaSeconds) != nil else {
                throw .malformedHeader(field: "Contact", reason: "expires is not delta-seconds")
            }
        }
        if let q = parameters.parameter("q") {
            guard let value = q.value, isQValue(value) else { throw .malformedHeader(field: "Contact", reason: "q is not a qvalue") }
        }
    }

    static func isQValue(_ value: [UInt8]) -> Bool {
        guard let first = value.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return false }
        if value.count == 1 { return true }
        guard value[1] == UInt8(ascii: "."), value.count <= 5 else { return false }
        let decimals = value.dropFirst(2)
        return first == UInt8(ascii: "0") ? decimals.allSatisfy(SIPCharacters.isDigit) : decimals.allSatisfy { $0 == UInt8(ascii: "0") }
    }

    /// The message, once the header section is read: §8.1.1 "A valid SIP request formulated
    /// by a UAC MUST, at a minimum, contain the following header fields: To, From, CSeq,
    /// Call-ID, Max-Forwards, and Via"; responses carry the same but Max-Forwards (§8.2.6.2).
    /// Max-Forwards is optional here: §16.3 lets a proxy pass a request without it.
    func message(body: [UInt8]) throws(SIPError) -> SIPMessage {
        guard !via.isEmpty else { throw .missingHeader(field: "Via") }
        guard let from else { throw .missingHeader(field: "From") }
        guard let to else { throw .missingHeader(field: "To") }
        guard let callId else { throw .missingHeader(field: "Call-ID") }
        guard let cseq else { throw .missingHeader(field: "CSeq") }
        // §8.1.1.5: "The method MUST match that of the request."
        if case .request(let method, _) = startLine, method != cseq.method {
            throw .malformedHeader(field: "CSeq", reason: "method differs from the request's")
        }
        var message = SIPMessage(
            startLine: startLine, via: via, from: from, to: to, callId: callId, cseq: cseq, maxForwards: maxForwards,
            contacts: contacts, isContactWildcard: isContactWildcard, expires: expires, routes: routes, recordRoutes: recordRoutes,
            otherHeaders: others, body: body)
        message.authorizations = authentications[0]
        message.proxyAuthorizations = authentications[1]
        message.wwwAuthenticates = authentications[2]
        message.proxyAuthenticates = authentications[3]
        return message
    }
}
