/// A SIP or SIPS URI (RFC 3261 §19.1.1, grammar §25.1):
///
///     SIP-URI  = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
///     userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
///     hostport = host [ ":" port ]
///     host     = hostname / IPv4address / IPv6reference
///
/// The host is kept in lower case (§19.1.4: compared case-insensitively); the user as
/// written, escapes included (it is case-sensitive). A password in the userinfo is NOT
/// RECOMMENDED (§19.1.1) and deprecated (RFC 3986 §3.2.1) but valid: it is kept apart, as
/// written, so that the URI is forwarded unchanged (RFC 4475 §3.1.1.2 "intmeth"); nothing
/// here acts on it, and no log should show it.
public struct SIPURI: Equatable, Sendable {
    public enum Scheme: Equatable, Sendable {
        case sip
        case sips
    }

    public var scheme: Scheme
    public var user: [UInt8]?
    /// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ): the text after
    /// the user's ":" (it may be empty); nil without ":".
    public var password: [UInt8]?
    /// hostname, IPv4 address, or an IPv6 reference with its brackets: "[2001:db8::1]".
    public var host: [UInt8]
    public var port: UInt16?
    public var parameters: [SIPParameter]
    /// The `?name=value&...` part: header fields to put into a request made from the URI.
    public var headers: [SIPParameter]

    public init(
        scheme: Scheme = .sip, user: [UInt8]? = nil, password: [UInt8]? = nil, host: [UInt8], port: UInt16? = nil,
        parameters: [SIPParameter] = [], headers: [SIPParameter] = []
    ) {
        self.scheme = scheme
        self.user = user
        self.password = user == nil ? nil : password
        self.host = SIPCharacters.lowercased(host)
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    /// Parses exactly `text` as a URI (nothing may follow it). `field` names the header in errors.
    public static func parse(_ text: [UInt8], field: String) throws(SIPError) -> SIPURI {
        var scanner = SIPScanner(text, field: field)
        let scheme = try readScheme(&scanner)
        let at = try userinfoEnd(text, from: scanner.index, field: field)
        var user: [UInt8]? = nil
        var password: [UInt8]? = nil
        if let at {
            (user, password) = try readUserinfo(&scanner, end: at)
            scanner.index = at + 1
        }
        let host = try readHost(&scanner)
        var port: UInt16? = nil
        if scanner.current == UInt8(ascii: ":") {
            scanner.index += 1
            port = try scanner.readPort()
        }
        let parameters = try readURIParameters(&scanner)
        let headers = try readURIHeaders(&scanner)
        guard scanner.isAtEnd else { throw scanner.fail("unexpected characters in the URI") }
        return SIPURI(scheme: scheme, user: user, password: password, host: host, port: port, parameters: parameters, headers: headers)
    }

    /// The URI as text.
    public var bytes: [UInt8] {
        var output: [UInt8] = Array((scheme == .sips ? "sips:" : "sip:").utf8)
        if let user {
            output += user
            if let password {
                output.append(UInt8(ascii: ":"))
                output += password
            }
            output.append(UInt8(ascii: "@"))
        }
        SIPURI.writeHostPort(host, port, to: &output)
        parameters.write(to: &output)
        for (index, header) in headers.enumerated() {
            output.append(UInt8(ascii: index == 0 ? "?" : "&"))
            output += header.name
            output.append(UInt8(ascii: "="))
            output += header.value ?? []
        }
        return output
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// hostport = host [ ":" port ], as URIs and Via's sent-by write it.
    static func writeHostPort(_ host: [UInt8], _ port: UInt16?, to output: inout [UInt8]) {
        output += host
        if let port {
            output.append(UInt8(ascii: ":"))
            output += SIPCharacters.decimalText(UInt64(port))
        }
    }

    static func readScheme(_ scanner: inout SIPScanner) throws(SIPError) -> Scheme {
        // absoluteURI = scheme ":" ...; scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        let name = try scanner.read("a URI scheme") { SIPCharacters.isAlphanumeric($0) || SIPCharacters.isAny($0, of: "+-.") }
        guard scanner.current == UInt8(ascii: ":"), let first = name.first, SIPCharacters.isAlpha(first) else {
            throw scanner.fail("expected a URI")
        }
        scanner.index += 1
        if SIPCharacters.equalsIgnoringCase(name, "sip") { return .sip }
        if SIPCharacters.equalsIgnoringCase(name, "sips") { return .sips }
        throw .unsupportedURIScheme(field: scanner.field)
    }

    /// The index of the "@" ending the userinfo, nil without userinfo. No other part of a
    /// SIP URI may hold an unescaped "@", so there is at most one.
    static func userinfoEnd(_ text: [UInt8], from start: Int, field: String) throws(SIPError) -> Int? {
        var found: Int? = nil
        for index in start..<text.count where text[index] == UInt8(ascii: "@") {
            guard found == nil else { throw .malformedHeader(field: field, reason: "two @ in a URI") }
            found = index
        }
        return found
    }

    /// userinfo = user [ ":" password ] "@", user = 1*( unreserved / escaped /
    /// user-unreserved ), password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ).
    /// `end` is the "@".
    static func readUserinfo(_ scanner: inout SIPScanner, end: Int) throws(SIPError) -> (user: [UInt8], password: [UInt8]?) {
        let user = try scanner.readEscaped("the user of a URI", allowed: SIPCharacters.isUser)
        var password: [UInt8]? = nil
        if scanner.current == UInt8(ascii: ":") {
            scanner.index += 1
            password = scanner.current == UInt8(ascii: "@") ? [] : try scanner.readEscaped("the password of a URI", allowed: SIPCharacters.isPassword)
        }
        guard scanner.index == end else { throw scanner.fail("bad character in the userinfo of a URI") }
        return (user, password)
    }
}

extension SIPScanner {
    /// port = 1*DIGIT, at most 65535.
    mutating func readPort() throws(SIPError) -> UInt16 {
        let digits = try read("a port", while: SIPCharacters.isDigit)
        guard let value = SIPCharacters.decimal(digits, maximum: UInt64(UInt16.max)) else { throw fail("port out of range") }
        return UInt16(value)
    }

    /// 1*( allowed / escaped ), escaped = "%" HEXDIG HEXDIG, kept as written.
    mutating func readEscaped(_ what: String, allowed: (UInt8) -> Bool) throws(SIPError) -> [UInt8] {
        let start = index
        var position = index
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "%") {
                guard position + 2 < end, SIPCharacters.isHexDigit(bytes[position + 1]), SIPCharacters.isHexDigit(bytes[position + 2])
                else { throw fail("bad escape in " + what) }
                position += 3
                continue
            }
            guard allowed(byte) else { break }
            position += 1
        }
        guard position > start else { throw fail("expected " + what) }
        index = position
        return Array(bytes[start..<position])
    }
}
