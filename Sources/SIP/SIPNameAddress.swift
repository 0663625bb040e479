/// A URI with an optional display name and header parameters: the value of From, To,
/// Contact, Route and Record-Route (RFC 3261 §20.10, §25.1):
///
///     ( name-addr / addr-spec ) *( SEMI generic-param )
///     name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
///     display-name = *(token LWS) / quoted-string
///
/// In the addr-spec form the URI ends at the first ";": §20.10 "if the URI contains a comma,
/// question mark or semicolon, the URI MUST be enclosed in angle brackets", so parameters
/// after it belong to the header. We always write the name-addr form.
public struct SIPNameAddress: Equatable, Sendable {
    /// The display name's text: a quoted-string without its quotes and escapes, or the
    /// tokens as written. nil when there was none.
    public var displayName: [UInt8]?
    public var uri: SIPURI
    public var parameters: [SIPParameter]

    public init(displayName: [UInt8]? = nil, uri: SIPURI, parameters: [SIPParameter] = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    /// The tag parameter of From and To (RFC 3261 §19.3).
    public var tag: [UInt8]? { parameters.value("tag") }

    /// Parses one value. `requireBrackets`: Route and Record-Route allow only name-addr.
    static func parse(_ text: [UInt8], field: String, requireBrackets: Bool = false) throws(SIPError) -> SIPNameAddress {
        var scanner = SIPScanner(text, field: field)
        scanner.skipWhitespace()
        var displayName: [UInt8]? = nil
        let uri: SIPURI
        if let open = angleBracket(text, from: scanner.index) {
            if scanner.current == UInt8(ascii: "\"") {
                displayName = unquote(try scanner.readQuotedString("display name"))
                scanner.skipWhitespace()
                guard scanner.index == open else { throw scanner.fail("characters between the display name and <") }
            } else if open > scanner.index {
                displayName = try tokenDisplayName(Array(text[scanner.index..<open]), &scanner)
            }
            guard let close = text[open...].firstIndex(of: UInt8(ascii: ">")) else { throw scanner.fail("< without >") }
            uri = try SIPURI.parse(Array(text[(open + 1)..<close]), field: field)
            scanner.index = close + 1
        } else {
            guard !requireBrackets else { throw scanner.fail("expected <URI>") }
            let start = scanner.index
            while let byte = scanner.current, byte != UInt8(ascii: ";"), !SIPCharacters.isWhitespace(byte) { scanner.index += 1 }
            uri = try SIPURI.parse(Array(text[start..<scanner.index]), field: field)
            // §20.10: a URI with "?" must be in angle brackets (RFC 4475 "regbadct").
            guard uri.headers.isEmpty else { throw scanner.fail("URI headers outside <>") }
        }
        let parameters = try scanner.readGenericParameters()
        try scanner.expectEnd()
        return SIPNameAddress(displayName: displayName, uri: uri, parameters: parameters)
    }

    /// The "<" of a name-addr, outside a leading quoted string; nil for an addr-spec.
    static func angleBracket(_ text: [UInt8], from start: Int) -> Int? {
        var index = start
        var inQuotes = false
        while index < text.count {
            let byte = text[index]
            if inQuotes && byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes && byte == UInt8(ascii: "<") { return index }
            // An addr-spec's URI has no quotes and no "<": stop at its parameters.
            if !inQuotes && byte == UInt8(ascii: ";") { return nil }
            index += 1
        }
        return nil
    }

    /// *(token LWS): tokens separated by whitespace, kept as written without trailing space.
    static func tokenDisplayName(_ text: [UInt8], _ scanner: inout SIPScanner) throws(SIPError) -> [UInt8] {
        var trimmed = text[...]
        while let last = trimmed.last, SIPCharacters.isWhitespace(last) { trimmed = trimmed.dropLast() }
        guard trimmed.allSatisfy({ SIPCharacters.isToken($0) || SIPCharacters.isWhitespace($0) }) else {
            throw scanner.fail("display name is neither tokens nor a quoted string")
        }
        return Array(trimmed)
    }

    /// The text of a quoted-string (with its quotes), escapes removed.
    static func unquote(_ quoted: [UInt8]) -> [UInt8] {
        precondition(quoted.count >= 2)
        var text: [UInt8] = []
        var index = 1
        while index < quoted.count - 1 {
            if quoted[index] == UInt8(ascii: "\\") { index += 1 }
            text.append(quoted[index])
            index += 1
        }
        return text
    }

    /// `text` as a quoted-string, escaping " and \ and the control characters a quoted-pair
    /// can hold (RFC 3261 §25.1: all but CR and LF, which become spaces, so that nothing we
    /// write can end a header line).
    static func quote(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "\"")]
        for original in text {
            let byte = original == 0x0D || original == 0x0A ? 0x20 : original
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || !SIPCharacters.isText(byte) { output.append(UInt8(ascii: "\\")) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
        return output
    }

    /// The value as written in a header: `"Name" <uri>;params`.
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        if let displayName {
            output += SIPNameAddress.quote(displayName)
            output.append(UInt8(ascii: " "))
        }
        output.append(UInt8(ascii: "<"))
        output += uri.bytes
        output.append(UInt8(ascii: ">"))
        parameters.write(to: &output)
        return output
    }
}
