/// One Via value (RFC 3261 §20.42, §25.1):
///
///     via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
///     sent-protocol = protocol-name SLASH protocol-version SLASH transport
///     sent-by       = host [ COLON port ]
///
/// Only SIP/2.0 is accepted. The transport is kept in upper case.
public struct SIPVia: Equatable, Sendable {
    /// "UDP", "TCP", "TLS", "SCTP", or another token.
    public var transport: [UInt8]
    public var host: [UInt8]
    public var port: UInt16?
    public var parameters: [SIPParameter]

    public init(transport: [UInt8], host: [UInt8], port: UInt16? = nil, parameters: [SIPParameter] = []) {
        self.transport = transport.map { SIPCharacters.uppercased($0) }
        self.host = SIPCharacters.lowercased(host)
        self.port = port
        self.parameters = parameters
    }

    /// §8.1.1.7: the transaction identifier; RFC 3261 branches start with "z9hG4bK".
    public var branch: [UInt8]? { parameters.value("branch") }
    /// §18.2.1: the source address the server saw, when it differs from sent-by.
    public var received: [UInt8]? { parameters.value("received") }

    /// RFC 3581 §3: `rport` without a value asks the server to fill in the source port.
    public enum ResponsePort: Equatable, Sendable {
        case absent
        case requested
        case filled(UInt16)
    }

    public var responsePort: ResponsePort {
        guard let parameter = parameters.parameter("rport") else { return .absent }
        guard let value = parameter.value, let port = SIPCharacters.decimal(value, maximum: UInt64(UInt16.max)) else {
            return .requested
        }
        return .filled(UInt16(port))
    }

    /// Whether the branch carries the RFC 3261 magic cookie (§8.1.1.7, §17.2.3).
    public var hasRFC3261Branch: Bool {
        guard let branch else { return false }
        return branch.count > SIPLimits.branchMagicCookie.count && Array(branch.prefix(SIPLimits.branchMagicCookie.count)) == SIPLimits.branchMagicCookie
    }

    static func parse(_ text: [UInt8], field: String) throws(SIPError) -> SIPVia {
        var scanner = SIPScanner(text, field: field)
        scanner.skipWhitespace()
        let name = try scanner.readToken("protocol-name")
        try scanner.expectSeparator(UInt8(ascii: "/"), "/ after the protocol name")
        let version = try scanner.readToken("protocol-version")
        guard SIPCharacters.equalsIgnoringCase(name, "SIP"), version == Array("2.0".utf8) else {
            throw scanner.fail("sent-protocol is not SIP/2.0")
        }
        try scanner.expectSeparator(UInt8(ascii: "/"), "/ before the transport")
        let transport = try scanner.readToken("transport")
        let before = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > before else { throw scanner.fail("expected whitespace before sent-by") }
        let host = try SIPURI.readHost(&scanner)
        var port: UInt16? = nil
        if scanner.skipSeparator(UInt8(ascii: ":")) { port = try scanner.readPort() }
        let parameters = try scanner.readGenericParameters()
        try scanner.expectEnd()
        let via = SIPVia(transport: transport, host: host, port: port, parameters: parameters)
        try via.checkParameters(&scanner)
        return via
    }

    /// via-branch = "branch" EQUAL token; via-received = "received" EQUAL (IPv4address /
    /// IPv6address); response-port = "rport" [EQUAL 1*DIGIT] (RFC 3581 §7).
    func checkParameters(_ scanner: inout SIPScanner) throws(SIPError) {
        if let branch = parameters.parameter("branch") {
            guard let value = branch.value, value.allSatisfy(SIPCharacters.isToken) else { throw scanner.fail("branch is not a token") }
        }
        if let received = parameters.parameter("received") {
            guard let value = received.value, SIPURI.isIPv4(value) || SIPVia.isIPv6(value) else {
                throw scanner.fail("received is not an IP address")
            }
        }
        if let rport = parameters.parameter("rport"), let value = rport.value {
            guard SIPCharacters.decimal(value, maximum: UInt64(UInt16.max)) != nil else { throw scanner.fail("rport is not a port") }
        }
    }

    static func isIPv6(_ text: [UInt8]) -> Bool {
        return text.count <= 45 && text.contains(UInt8(ascii: ":"))
            && text.allSatisfy { SIPCharacters.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
    }

    /// The value as written in a header.
    public var bytes: [UInt8] {
        var output: [UInt8] = Array("SIP/2.0/".utf8) + transport
        output.append(UInt8(ascii: " "))
        SIPURI.writeHostPort(host, port, to: &output)
        parameters.write(to: &output)
        return output
    }
}
