extension SIPParser {
    static let version: [UInt8] = Array("SIP/2.0".utf8)

    /// Request-Line = Method SP Request-URI SP SIP-Version; Status-Line = SIP-Version SP
    /// Status-Code SP Reason-Phrase (RFC 3261 §7.1, §7.2, §25.1). Exactly one SP between the
    /// parts of a request line (RFC 4475 §3.1.2.7 "lwsruri" and §3.1.2.8 are answered 400).
    static func parseStartLine(_ line: [UInt8]) throws(SIPError) -> SIPStartLine {
        if line.count >= 8, line.starts(with: Array("SIP/".utf8)) {
            return try parseStatusLine(line)
        }
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedStartLine("not Method SP Request-URI SP SIP-Version") }
        guard let method = SIPMethod(bytes: Array(parts[0])) else { throw .malformedStartLine("method is not a token") }
        try checkVersion(parts[2])
        let uri = try SIPURI.parse(Array(parts[1]), field: "Request-URI")
        // §19.1.1, table 1: headers are not allowed in a Request-URI (RFC 4475 "escruri").
        guard uri.headers.isEmpty else { throw .malformedHeader(field: "Request-URI", reason: "URI headers in a Request-URI") }
        return .request(method: method, uri: uri)
    }

    static func parseStatusLine(_ line: [UInt8]) throws(SIPError) -> SIPStartLine {
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .malformedStartLine("not SIP-Version SP Status-Code SP Reason-Phrase") }
        try checkVersion(parts[0])
        guard parts[1].count == 3, let code = SIPCharacters.decimal(parts[1], maximum: 699), code >= 100 else {
            throw .malformedStartLine("status code is not 100 to 699")
        }
        let reason = parts.count == 3 ? Array(parts[2]) : []
        guard reason.allSatisfy(SIPCharacters.isText), reason.count <= SIPLimits.maximumReasonBytes else {
            throw .malformedStartLine("reason phrase with control characters or over the limit")
        }
        return .response(statusCode: Int(code), reason: reason)
    }

    /// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only SIP/2.0 is served (505 otherwise,
    /// §8.2.2... §21.5.18). "SIP" is case-insensitive (§7.1).
    static func checkVersion(_ text: ArraySlice<UInt8>) throws(SIPError) {
        let upper = text.map { SIPCharacters.uppercased($0) }
        if upper == version { return }
        guard upper.count >= 7, upper.starts(with: Array("SIP/".utf8)),
            upper.dropFirst(4).allSatisfy({ SIPCharacters.isDigit($0) || $0 == UInt8(ascii: ".") })
        else { throw .malformedStartLine("malformed SIP-Version") }
        throw .unsupportedVersion
    }
}
