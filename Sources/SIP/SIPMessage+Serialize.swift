extension SIPMessage {
    /// The message as bytes (RFC 3261 §7): start line, the typed headers in a fixed order (one
    /// line per value; the order of values of one header is kept), the text headers in order,
    /// Content-Length (always written: §20.14 "SHOULD" on datagrams, MUST on streams), an
    /// empty line and the body. `parse(datagram: serialize())` gives back this message.
    public func serialize() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512 + body.count)
        writeStartLine(&output)
        // The typed headers may hold quoted-pairs of control characters (RFC 3261 §25.1).
        for value in via { SIPMessage.writeHeader("Via", value.bytes, &output) }
        if let maxForwards { SIPMessage.writeHeader("Max-Forwards", SIPCharacters.decimalText(UInt64(maxForwards)), &output) }
        for value in routes { SIPMessage.writeHeader("Route", value.bytes, &output) }
        for value in recordRoutes { SIPMessage.writeHeader("Record-Route", value.bytes, &output) }
        SIPMessage.writeHeader("From", from.bytes, &output)
        SIPMessage.writeHeader("To", to.bytes, &output)
        SIPMessage.writeHeader(Array("Call-ID".utf8), callId, quotedPairs: false, &output)
        SIPMessage.writeHeader("CSeq", cseq.bytes, &output)
        if isContactWildcard { SIPMessage.writeHeader("Contact", [UInt8(ascii: "*")], &output) }
        for value in contacts { SIPMessage.writeHeader("Contact", value.bytes, &output) }
        if let expires { SIPMessage.writeHeader("Expires", SIPCharacters.decimalText(UInt64(expires)), &output) }
        for value in wwwAuthenticates { SIPMessage.writeHeader("WWW-Authenticate", value.bytes, &output) }
        for value in authorizations { SIPMessage.writeHeader("Authorization", value.bytes, &output) }
        for value in proxyAuthenticates { SIPMessage.writeHeader("Proxy-Authenticate", value.bytes, &output) }
        for value in proxyAuthorizations { SIPMessage.writeHeader("Proxy-Authorization", value.bytes, &output) }
        for field in otherHeaders { SIPMessage.writeHeader(field.name, field.value, quotedPairs: false, &output) }
        SIPMessage.writeHeader("Content-Length", SIPCharacters.decimalText(UInt64(body.count)), &output)
        output += [0x0D, 0x0A]
        output += body
        return output
    }

    func writeStartLine(_ output: inout [UInt8]) {
        switch startLine {
        case .request(let method, let uri):
            output += method.bytes
            output.append(0x20)
            output += uri.bytes
            output += Array(" SIP/2.0\r\n".utf8)
        case .response(let code, let reason):
            output += SIPParser.version
            output.append(0x20)
            output += SIPCharacters.decimalText(UInt64(code))
            output.append(0x20)
            output += SIPMessage.printable(reason)
            output += [0x0D, 0x0A]
        }
    }

    static func writeHeader(_ name: String, _ value: [UInt8], _ output: inout [UInt8]) {
        writeHeader(Array(name.utf8), value, quotedPairs: true, &output)
    }

    static func writeHeader(_ name: [UInt8], _ value: [UInt8], quotedPairs: Bool, _ output: inout [UInt8]) {
        output += name
        output += Array(": ".utf8)
        output += quotedPairs ? printableKeepingQuotedPairs(value) : printable(value)
        output += [0x0D, 0x0A]
    }

    /// Control characters but HTAB become spaces: nothing given to the serializer can end a
    /// line early and smuggle a header in (a caller's reason phrase, a text header).
    static func printable(_ value: [UInt8]) -> [UInt8] {
        return value.map { SIPCharacters.isText($0) ? $0 : 0x20 }
    }

    /// As `printable`, but a control character escaped by a quoted-pair inside a quoted
    /// string is kept (the parser reads it back: SIPParser.checkText); CR and LF never are.
    static func printableKeepingQuotedPairs(_ value: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        var inQuotes = false
        var index = 0
        while index < value.count {
            let byte = value[index]
            if inQuotes && byte == UInt8(ascii: "\\") && index + 1 < value.count {
                let escaped = value[index + 1]
                output += [byte, escaped == 0x0D || escaped == 0x0A ? 0x20 : escaped]
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            output.append(SIPCharacters.isText(byte) ? byte : 0x20)
            index += 1
        }
        return output
    }
}
