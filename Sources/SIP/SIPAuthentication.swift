/// A challenge (WWW-Authenticate, Proxy-Authenticate) or credentials (Authorization,
/// Proxy-Authorization), RFC 3261 §20.7, §20.27, §20.28, §20.44, grammar §25.1:
///
///     challenge   = ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge
///     credentials = ("Digest" LWS digest-response) / other-response
///     auth-param  = auth-param-name EQUAL ( token / quoted-string )
///
/// These headers are not comma lists (§7.3.1 names them as the exception): one header, one
/// challenge or credentials. Parameter values are kept as written, quotes included, so that
/// token and quoted forms (qop="auth" in a challenge, qop=auth in credentials) survive.
public struct SIPAuthentication: Equatable, Sendable {
    /// "Digest" (compared case-insensitively).
    public var scheme: [UInt8]
    public var parameters: [SIPParameter]

    public init(scheme: [UInt8], parameters: [SIPParameter]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    public var isDigest: Bool { SIPCharacters.equalsIgnoringCase(scheme, "digest") }

    /// The value of `name` without quotes and escapes; nil when absent.
    public func value(_ name: String) -> [UInt8]? {
        guard let raw = parameters.value(name) else { return nil }
        if raw.count >= 2, raw.first == UInt8(ascii: "\""), raw.last == UInt8(ascii: "\"") {
            return SIPNameAddress.unquote(raw)
        }
        return raw
    }

    /// Adds `name="value"` (quoted, escaped).
    public mutating func appendQuoted(_ name: String, _ value: [UInt8]) {
        parameters.append(SIPParameter(name: Array(name.utf8), value: SIPNameAddress.quote(value)))
    }

    /// Adds `name=value`; `value` must be a token.
    public mutating func appendToken(_ name: String, _ value: [UInt8]) {
        precondition(!value.isEmpty && value.allSatisfy(SIPCharacters.isToken), "auth-param value is not a token")
        parameters.append(SIPParameter(name: Array(name.utf8), value: value))
    }

    static func parse(_ text: [UInt8], field: String) throws(SIPError) -> SIPAuthentication {
        var scanner = SIPScanner(text, field: field)
        scanner.skipWhitespace()
        let scheme = try scanner.readToken("an authentication scheme")
        let before = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > before, !scanner.isAtEnd else { throw scanner.fail("expected parameters after the scheme") }
        var parameters: [SIPParameter] = []
        repeat {
            let name = try scanner.readToken("a parameter name")
            try scanner.expectSeparator(UInt8(ascii: "="), "= after " + String(decoding: name, as: UTF8.self))
            let value = scanner.current == UInt8(ascii: "\"") ? try scanner.readQuotedString("value") : try scanner.readToken("a value")
            let parameter = SIPParameter(name: name, value: value)
            guard !parameters.contains(where: { $0.name == parameter.name }) else { throw scanner.fail("repeated parameter") }
            guard parameters.count < SIPLimits.maximumParameters else { throw .tooManyHeaders(field: field, limit: SIPLimits.maximumParameters) }
            parameters.append(parameter)
        } while scanner.skipSeparator(UInt8(ascii: ","))
        try scanner.expectEnd()
        return SIPAuthentication(scheme: scheme, parameters: parameters)
    }

    public var bytes: [UInt8] {
        var output = scheme
        for (index, parameter) in parameters.enumerated() {
            output += Array((index == 0 ? " " : ", ").utf8)
            output += parameter.name
            output.append(UInt8(ascii: "="))
            output += parameter.value ?? []
        }
        return output
    }
}
