extension SIPMessage {
    /// The message as bytes (RFC 3261 §7): start line, the typed headers in a fixed order (one
    /// line per value; the order of values of one header is kept), the text headers in order,
    /// Content-Length (always written: §20.14 "SHOULD" on datagrams, MUST on streams), an
    /// empty line and the body. `parse(datagram: serialize())` gives back this message.
    public func serialize() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512 + body.count)
        writeStartLine(&output)
        for value in via { SIPMessage.writeHeader("Via", value.bytes, &output) }
        if let maxForwards { SIPMessage.writeHeader("Max-Forwards", SIPCharacters.decimalText(UInt64(maxForwards)), &output) }
        for value in routes { SIPMessage.writeHeader("Route", value.bytes, &output) }
        for value in recordRoutes { SIPMessage.writeHeader("Record-Route", value.bytes, &output) }
        SIPMessage.writeHeader("From", from.bytes, &output)
        SIPMessage.writeHeader("To", to.bytes, &output)
        SIPMessage.writeHeader("Call-ID", callId, &output)
        SIPMessage.writeHeader("CSeq", cseq.bytes, &output)
        if isContactWildcard { SIPMessage.writeHeader("Contact", [UInt8(ascii: "*")], &output) }
        for value in contacts { SIPMessage.writeHeader("Contact", value.bytes, &output) }
        if let expires { SIPMessage.writeHeader("Expires", SIPCharacters.decimalText(UInt64(expires)), &output) }
        for value in wwwAuthenticates { SIPMessage.writeHeader("WWW-Authenticate", value.bytes, &output) }
        for value in authorizations { SIPMessage.writeHeader("Authorization", value.bytes, &output) }
        for value in proxyAuthenticates { SIPMessage.writeHeader("Proxy-Authenticate", value.bytes, &output) }
        for value in proxyAuthorizations { SIPMessage.writeHeader("Proxy-Authorization", value.bytes, &output) }
        for field in otherHeaders { SIPMessage.writeHeader(field.name, field.value, &output) }
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
        writeHeader(Array(name.utf8), value, &output)
    }

    static func writeHeader(_ name: [UInt8], _ value: [UInt8], _ output: inout [UInt8]) {
        output += name
        output += Array(": ".utf8)
        output += printable(value)
        output += [0x0D, 0x0A]
    }

    /// Control characters but HTAB become spaces: nothing given to the serializer can end a
    /// line early and smuggle a header in (a caller's reason phrase, a text header).
    static func printable(_ value: [UInt8]) -> [UInt8] {
        return value.map { SIPCharacters.isText($0) ? $0 : 0x20 }
    }
}
