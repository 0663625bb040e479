import SIP

extension SIPFront {
    /// A datagram that does not parse. RFC 3261 §16.3 step 1 and §8.2.2: a request that
    /// fails is answered 400 with a reason phrase naming the problem (§21.4.1), which needs
    /// the headers a response copies (§8.2.6.2). When those can be found as lines of text and
    /// the response made of them is itself valid SIP (a broken From, To, CSeq or Via would be
    /// echoed into it), we answer; otherwise (or for a response, or an ACK) the datagram is
    /// dropped: we never send what our own parser would refuse.
    mutating func answerUnparsable(_ bytes: [UInt8], _ error: SIPError, from hop: SIPHop) -> [SIPFrontAction] {
        let dropped = log(.debug, "unparsable SIP message dropped: " + error.description)
        guard let fields = MalformedRequest.salvage(bytes) else { return [dropped] }
        let toTag = tag(branch: fields.via.first ?? [], fields.callIdRequest)
        let response = fields.response(status: error.statusCode, reason: error.reasonPhrase, toTag: toTag)
        guard (try? SIPMessage.parse(datagram: response)) != nil else { return [dropped] }
        return [send(response, to: hop)]
    }
}

/// The transaction headers of a request that does not parse, as raw text lines.
struct MalformedRequest {
    var via: [[UInt8]] = []
    var from: [UInt8]?
    var to: [UInt8]?
    var callId: [UInt8]?
    var cseq: [UInt8]?

    /// A stand-in request carrying the Call-ID, for the tag derivation.
    var callIdRequest: SIPMessage {
        let address = SIPNameAddress(uri: SIPURI(host: Array("invalid".utf8)))
        return SIPMessage(
            startLine: .response(statusCode: 400, reason: []), via: [], from: address, to: address, callId: callId ?? [],
            cseq: SIPCSeq(number: 0, method: .options))
    }

    /// The header lines we need, each once (Via at least once, at most SIPLimits.maximumValues),
    /// printable and within the line limit; nil for anything else, a response or an ACK.
    static func salvage(_ bytes: [UInt8]) -> MalformedRequest? {
        let head = bytes.prefix(SIPLimits.maximumHeaderSectionBytes)
        let lines = head.split(separator: 0x0A, maxSplits: SIPLimits.maximumHeaderFields + 1, omittingEmptySubsequences: false)
            .map { $0.last == 0x0D ? Array($0.dropLast()) : Array($0) }
        guard let first = lines.first, !first.isEmpty, !first.starts(with: Array("SIP/".utf8)), !first.starts(with: Array("ACK ".utf8))
        else { return nil }
        var fields = MalformedRequest()
        for line in lines.dropFirst() {
            if line.isEmpty { break }
            guard line.count <= SIPLimits.maximumLineBytes, line.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { return nil }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = trimmed(line[..<colon]).map(SIPFront.lowercased)
            let value = trimmed(line[(colon + 1)...])
            guard !value.isEmpty else { continue }
            guard fields.take(name, value) else { return nil }
        }
        guard !fields.via.isEmpty, fields.from != nil, fields.to != nil, fields.callId != nil, fields.cseq != nil else { return nil }
        return fields
    }

    /// False on a second From, To, Call-ID or CSeq (which would be ambiguous) or too many Vias.
    mutating func take(_ name: [UInt8], _ value: [UInt8]) -> Bool {
        func once(_ slot: inout [UInt8]?) -> Bool {
            guard slot == nil else { return false }
            slot = value
            return true
        }
        switch name {
        case Array("via".utf8), Array("v".utf8):
            guard via.count < SIPLimits.maximumValues else { return false }
            via.append(value)
            return true
        case Array("from".utf8), Array("f".utf8): return once(&from)
        case Array("to".utf8), Array("t".utf8): return once(&to)
        case Array("call-id".utf8), Array("i".utf8): return once(&callId)
        case Array("cseq".utf8): return once(&cseq)
        default: return true
        }
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return Array(slice)
    }

    /// The response, written directly: the copied lines are printable text without CR or LF,
    /// so they cannot add lines; the reason phrase is SIPError's own words.
    func response(status: Int, reason: String, toTag: [UInt8]) -> [UInt8] {
        var output = Array("SIP/2.0 ".utf8) + Array(String(status).utf8) + [0x20] + Array(reason.utf8) + [0x0D, 0x0A]
        func line(_ name: String, _ value: [UInt8]) {
            output += Array(name.utf8) + Array(": ".utf8) + value + [0x0D, 0x0A]
        }
        for value in via { line("Via", value) }
        line("From", from ?? [])
        var toValue = to ?? []
        // §8.2.6.2: a tag is added unless the To has one.
        if !MalformedRequest.containsTag(toValue) { toValue += Array(";tag=".utf8) + toTag }
        line("To", toValue)
        line("Call-ID", callId ?? [])
        line("CSeq", cseq ?? [])
        line("Content-Length", Array("0".utf8))
        output += [0x0D, 0x0A]
        return output
    }

    static func containsTag(_ value: [UInt8]) -> Bool {
        let lower = value.map(SIPFront.lowercased)
        let needle = Array(";tag=".utf8)
        guard lower.count >= needle.count else { return false }
        for start in 0...(lower.count - needle.count) where Array(lower[start..<(start + needle.count)]) == needle { return true }
        return false
    }
}
