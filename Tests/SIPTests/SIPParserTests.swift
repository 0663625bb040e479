import SIP
import Testing

@Suite struct SIPParserTests {
    /// RFC 3261 §10.2 style REGISTER, compact forms mixed in.
    static let register = """
        REGISTER sip:overlay.example SIP/2.0\r
        v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7\r
        Max-Forwards: 70\r
        t: Bob <sip:bob@overlay.example>\r
        f: Bob <sip:bob@overlay.example>;tag=456248\r
        i: 843817637684230@998sdasdh09\r
        CSeq: 1826 REGISTER\r
        m: <sip:bob@192.0.2.4>;expires=60, "Bob's desk" <sip:bob@[2001:db8::1]:5070;transport=tcp?Subject=hi>\r
        Expires: 7200\r
        l: 0\r
        \r

        """

    func parse(_ text: String) throws(SIPError) -> SIPMessage {
        return try SIPMessage.parse(datagram: Array(text.utf8))
    }

    func error(_ text: String) -> SIPError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func registerWithCompactForms() throws {
        let message = try parse(Self.register)
        #expect(message.method == .register)
        #expect(message.requestURI == SIPURI(host: Array("overlay.example".utf8)))
        #expect(message.via == [SIPVia(transport: Array("udp".utf8), host: Array("192.0.2.4".utf8), port: 5060, parameters: [SIPParameter("branch", "z9hG4bKnashds7")])])
        #expect(message.via[0].hasRFC3261Branch)
        #expect(message.to.displayName == Array("Bob".utf8))
        #expect(message.to.tag == nil)
        #expect(message.from.tag == Array("456248".utf8))
        #expect(message.callId == Array("843817637684230@998sdasdh09".utf8))
        #expect(message.contacts.count == 2)
        #expect(message.contacts[1].displayName == Array("Bob's desk".utf8))
        #expect(message.contacts[1].uri.port == 5070)
        #expect(message.contacts[1].uri.headers.first?.name == Array("Subject".utf8))
        #expect(message.contacts[1].uri.headers.first?.value == Array("hi".utf8))
        #expect(message.expires == 7200)
        #expect(message.body.isEmpty)
        #expect(try SIPMessage.parse(datagram: message.serialize()) == message)
    }

    @Test func wildcardContact() throws {
        let text = Self.register.replacingOccurrences(of: "m: <sip:bob@192.0.2.4>;expires=60, \"Bob's desk\" <sip:bob@[2001:db8::1]:5070;transport=tcp?Subject=hi>", with: "Contact: *")
        let message = try parse(text)
        #expect(message.isContactWildcard)
        #expect(message.contacts.isEmpty)
        #expect(try SIPMessage.parse(datagram: message.serialize()) == message)
        let mixed = Self.register.replacingOccurrences(of: "m: <sip:bob@192.0.2.4>", with: "m: *, <sip:bob@192.0.2.4>")
        #expect(error(mixed)?.field == "Contact")
    }

    /// Each malformed header is refused with its (long) name, so that a 400 can say which.
    @Test(arguments: [
        ("CSeq: 1826 REGISTER", "CSeq: 1826 INVITE", "CSeq"),
        ("CSeq: 1826 REGISTER", "CSeq: 2147483648 REGISTER", "CSeq"),
        ("CSeq: 1826 REGISTER", "CSeq: REGISTER", "CSeq"),
        ("Max-Forwards: 70", "Max-Forwards: 256", "Max-Forwards"),
        ("Max-Forwards: 70", "Max-Forwards: -1", "Max-Forwards"),
        ("Expires: 7200", "Expires: 4294967296", "Expires"),
        ("Expires: 7200", "Expires: 1\r\nExpires: 2", "Expires"),
        ("l: 0", "l: 0\r\nContent-Length: 0", "Content-Length"),
        ("l: 0", "l: 1", "Content-Length"),
        ("l: 0", "l: 0x0", "Content-Length"),
        ("i: 843817637684230@998sdasdh09", "i: a@b@c", "Call-ID"),
        ("i: 843817637684230@998sdasdh09", "i: has space", "Call-ID"),
        ("i: 843817637684230@998sdasdh09", "X-Other: 1", "Call-ID"),
        ("v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7", "v: SIP/3.0/UDP 192.0.2.4", "Via"),
        ("v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7", "v: SIP/2.0/UDP 192.0.2.4:99999", "Via"),
        ("v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7", "v: SIP/2.0/UDP 192.0.2.4;received=host.example", "Via"),
        ("v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7", "v: SIP/2.0/UDP [::1", "Via"),
        ("v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7", "v: SIP/2.0/UDP a.example;branch=1;branch=2", "Via"),
        ("v: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7", "X-Other: 1", "Via"),
        ("t: Bob <sip:bob@overlay.example>", "t: Bob <sip:bob:se%zzret@overlay.example>", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: Bob <sip:bob:a:b@overlay.example>", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: \"Bob\u{07}\" <sip:bob@overlay.example>", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: Bob\\\u{07} <sip:bob@overlay.example>", "To"),
        ("Expires: 7200", "Subject: \"a\\\u{07}\"", "Subject"),
        ("i: 843817637684230@998sdasdh09", "i: \"a\\\u{07}\"", "Call-ID"),
        ("t: Bob <sip:bob@overlay.example>", "t: Bob <mailto:bob@overlay.example>", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: Bob <sip:bob@-bad.example>", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: Bob <sip:bob@overlay.example", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: <sip:bob@overlay.example>;tag=a;tag=b", "To"),
        ("t: Bob <sip:bob@overlay.example>", "t: <sip:b%4@overlay.example>", "To"),
        ("f: Bob <sip:bob@overlay.example>;tag=456248", "f: Bob <sip:bob@overlay.example>;tag=\"open", "From"),
        ("m: <sip:bob@192.0.2.4>;expires=60", "m: <sip:bob@192.0.2.4>;expires=soon", "Contact"),
        ("m: <sip:bob@192.0.2.4>;expires=60", "m: <sip:bob@192.0.2.4>;q=1.5", "Contact"),
        ("Max-Forwards: 70", "Route: sip:proxy.example", "Route"),
        ("Max-Forwards: 70", "Authorization: Digest", "Authorization"),
        ("Max-Forwards: 70", "Authorization: Digest username=\"a\", username=\"b\"", "Authorization"),
        ("Max-Forwards: 70", "WWW-Authenticate: Digest realm=\"a\" nonce=\"b\"", "WWW-Authenticate"),
    ])
    func malformedHeadersNameTheirField(original: String, replacement: String, field: String) {
        let text = Self.register.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.register)
        let found = error(text)
        #expect(found?.field == field, "\(replacement): \(found?.description ?? "parsed")")
        #expect(found?.statusCode == 400 || found?.statusCode == 416)
    }

    @Test func framingErrors() {
        #expect(error("") == .malformedFraming("no empty line after the header section"))
        #expect(error(Self.register.replacingOccurrences(of: "\r\nMax-Forwards", with: "\nMax-Forwards")) == .malformedFraming("a bare CR or LF"))
        #expect(error(" " + Self.register)?.field == "start line")
        #expect(error(Self.register.replacingOccurrences(of: "SIP/2.0\r\n", with: "SIP/2.1\r\n")) == .unsupportedVersion)
        #expect(error(Self.register.replacingOccurrences(of: "REGISTER sip:", with: "REG\u{01}STER sip:"))?.field == "start line")
        // CRLFs before the start line are ignored (RFC 3261 §7.5).
        #expect(error("\r\n\r\n" + Self.register) == nil)
    }

    @Test func limits() {
        let long = String(repeating: "a", count: SIPLimits.maximumLineBytes)
        #expect(error(Self.register.replacingOccurrences(of: "Expires: 7200", with: "X-Long: " + long)) == .lineTooLong(field: "X-Long"))
        let many = String(repeating: "X-A: 1\r\n", count: SIPLimits.maximumHeaderFields)
        #expect(error(Self.register.replacingOccurrences(of: "Expires: 7200\r\n", with: many))?.field == "header fields")
        let vias = Array(repeating: "SIP/2.0/UDP a.example", count: SIPLimits.maximumValues + 1).joined(separator: ",")
        #expect(error(Self.register.replacingOccurrences(of: "Max-Forwards: 70", with: "Via: " + vias)) == .tooManyHeaders(field: "Via", limit: SIPLimits.maximumValues))
        let big = [UInt8](repeating: 0x41, count: SIPLimits.maximumMessageBytes + 1)
        #expect(throws: SIPError.messageTooLarge(limit: SIPLimits.maximumMessageBytes)) { try SIPMessage.parse(datagram: big) }
    }

    @Test func datagramBodyWithoutContentLength() throws {
        let text = Self.register.replacingOccurrences(of: "l: 0\r\n", with: "") + "body"
        #expect(try parse(text).body == Array("body".utf8))
        // RFC 3261 §18.3: bytes after the body are discarded; fewer than declared is an error.
        #expect(try parse(Self.register + "x").body.isEmpty)
        #expect(try parse(Self.register.replacingOccurrences(of: "l: 0", with: "l: 1") + "xy").body == Array("x".utf8))
        #expect(error(Self.register.replacingOccurrences(of: "l: 0", with: "l: 2") + "x") == .contentLengthMismatch(declared: 2, actual: 1))
    }

    /// RFC 3261 §25.1: userinfo = user [ ":" password ] "@" (kept apart, written back), and
    /// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) in the quoted strings of typed headers.
    @Test func passwordsAndQuotedControlCharacters() throws {
        let text = Self.register
            .replacingOccurrences(of: "t: Bob <sip:bob@overlay.example>", with: "t: \"B\\\u{0}b\\\u{1B}\" <sip:bob:pa$$,w=rd&+@overlay.example>")
            .replacingOccurrences(of: "f: Bob <sip:bob@overlay.example>;tag=456248", with: "f: <sip:bob:@overlay.example>;tag=456248;x=\"\\\u{7F}\"")
        let message = try parse(text)
        #expect(message.to.displayName == [0x42, 0x00, 0x62, 0x1B])
        #expect(message.to.uri.user == Array("bob".utf8))
        #expect(message.to.uri.password == Array("pa$$,w=rd&+".utf8))
        #expect(message.from.uri.password == [])
        #expect(message.from.parameters.value("x") == [0x22, 0x5C, 0x7F, 0x22])
        #expect(try AddressOfRecord(uri: message.to.uri).text == "bob@overlay.example")
        let written = message.serialize()
        #expect(String(decoding: written, as: UTF8.self).contains("To: \"B\\\u{0}b\\\u{1B}\" <sip:bob:pa$$,w=rd&+@overlay.example>\r\n"))
        #expect(try SIPMessage.parse(datagram: written) == message)
        // A caller's CR or LF never reaches the wire, quoted or not.
        var built = message
        built.to.displayName = Array("a\r\nVia: x".utf8)
        built.otherHeaders.append(SIPHeaderField(name: Array("X-Quoted".utf8), value: Array("\"\\\r\n\"".utf8)))
        let output = built.serialize()
        #expect(try SIPMessage.parse(datagram: output).to.displayName == Array("a  Via: x".utf8))
        #expect(try SIPMessage.parse(datagram: output).values(of: "X-Quoted") == [Array("\"\\  \"".utf8)])
    }

    /// On streams the message ends after Content-Length bytes; fed a byte at a time the
    /// parser asks for more until then, and gives the datagram parser's message.
    @Test func streamByteAtATime() throws {
        let text = Self.register.replacingOccurrences(of: "l: 0", with: "l: 4") + "body"
        let bytes = Array(text.utf8) + Array("OPTIONS".utf8)
        let expected = try SIPMessage.parse(datagram: Array(text.utf8))
        for end in 0..<text.utf8.count {
            #expect(try SIPMessage.parse(stream: Array(bytes[0..<end])) == nil, "at \(end)")
        }
        let result = try #require(try SIPMessage.parse(stream: bytes))
        #expect(result.message == expected)
        #expect(result.consumed == text.utf8.count)
        let withoutLength = Self.register.replacingOccurrences(of: "l: 0\r\n", with: "")
        #expect(throws: SIPError.missingHeader(field: "Content-Length")) { try SIPMessage.parse(stream: Array(withoutLength.utf8)) }
    }

    @Test func foldedHeadersAndResponses() throws {
        let response = """
            SIP/2.0 401 Unauthorized\r
            Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;received=192.0.2.99;rport=5062\r
            From: <sip:bob@overlay.example>;tag=456248\r
            To: <sip:bob@overlay.example>;tag=2493k59kd\r
            Call-ID: 843817637684230@998sdasdh09\r
            CSeq: 1826 REGISTER\r
            WWW-Authenticate: Digest realm="overlay.example",\r
             qop="auth", nonce="abc", algorithm=SHA-256, stale=TRUE\r
            Content-Length: 0\r
            \r

            """
        let message = try parse(response)
        #expect(message.statusCode == 401)
        #expect(message.via[0].received == Array("192.0.2.99".utf8))
        #expect(message.via[0].responsePort == .filled(5062))
        #expect(message.wwwAuthenticates.first?.value("qop") == Array("auth".utf8))
        #expect(message.wwwAuthenticates.first?.value("algorithm") == Array("SHA-256".utf8))
        #expect(try SIPMessage.parse(datagram: message.serialize()) == message)
    }
}
