/// A cursor over one header value (already unfolded: no CR or LF left), reading the
/// separators and atoms of RFC 3261 §25.1. Reads move the index only on success; failures
/// throw `malformedHeader` naming `field`.
struct SIPScanner {
    let bytes: [UInt8]
    var index: Int
    let end: Int
    let field: String

    init(_ bytes: [UInt8], field: String) {
        self.bytes = bytes
        self.index = 0
        self.end = bytes.count
        self.field = field
    }

    var isAtEnd: Bool { index >= end }

    var current: UInt8? { index < end ? bytes[index] : nil }

    func fail(_ reason: String) -> SIPError {
        return .malformedHeader(field: field, reason: reason)
    }

    /// SWS: optional whitespace (line folds were replaced by a space when unfolding).
    mutating func skipWhitespace() {
        while index < end, SIPCharacters.isWhitespace(bytes[index]) { index += 1 }
    }

    /// SWS byte SWS, as SEMI, COMMA, EQUAL, SLASH, COLON are defined. True if it was there.
    mutating func skipSeparator(_ byte: UInt8) -> Bool {
        let start = index
        skipWhitespace()
        guard index < end, bytes[index] == byte else {
            index = start
            return false
        }
        index += 1
        skipWhitespace()
        return true
    }

    mutating func expectSeparator(_ byte: UInt8, _ what: String) throws(SIPError) {
        guard skipSeparator(byte) else { throw fail("expected " + what) }
    }

    /// 1*byte of a class; throws when there is none.
    mutating func read(_ what: String, while predicate: (UInt8) -> Bool) throws(SIPError) -> [UInt8] {
        let start = index
        while index < end, predicate(bytes[index]) { index += 1 }
        guard index > start else { throw fail("expected " + what) }
        return Array(bytes[start..<index])
    }

    mutating func readToken(_ what: String) throws(SIPError) -> [UInt8] {
        return try read(what, while: SIPCharacters.isToken)
    }

    /// quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, returned with its quotes
    /// and escapes as written (so that it is written back the same).
    mutating func readQuotedString(_ what: String) throws(SIPError) -> [UInt8] {
        guard current == UInt8(ascii: "\"") else { throw fail("expected a quoted " + what) }
        let start = index
        var position = index + 1
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                index = position + 1
                return Array(bytes[start..<index])
            }
            if byte == UInt8(ascii: "\\") {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F); CR and LF are gone already.
                guard position + 1 < end, bytes[position + 1] <= 0x7F else { throw fail("bad escape in quoted " + what) }
                position += 2
                continue
            }
            guard SIPCharacters.isText(byte) else { throw fail("control character in quoted " + what) }
            position += 1
        }
        throw fail("unterminated quoted " + what)
    }

    /// The bytes up to (not including) the first of `stops` outside quotes and angle brackets,
    /// or to the end. Used to cut a list header into its values.
    mutating func readUntil(_ stop: UInt8) throws(SIPError) -> [UInt8] {
        let start = index
        var inQuotes = false
        var inAngle = false
        while index < end {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inQuotes = false }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: "<") {
                inAngle = true
            } else if byte == UInt8(ascii: ">") {
                inAngle = false
            } else if byte == stop && !inAngle {
                break
            }
            index += 1
        }
        guard !inQuotes, index <= end else { throw fail("unterminated quoted string") }
        index = min(index, end)
        return Array(bytes[start..<index])
    }

    mutating func expectEnd() throws(SIPError) {
        skipWhitespace()
        guard isAtEnd else { throw fail("unexpected characters at the end") }
    }
}

/// The values of a comma-separated list header (RFC 3261 §7.3.1: "header-name: value1,
/// value2" is equivalent to one header line per value), each trimmed.
func splitList(_ value: [UInt8], field: String) throws(SIPError) -> [[UInt8]] {
    var scanner = SIPScanner(value, field: field)
    var items: [[UInt8]] = []
    while true {
        scanner.skipWhitespace()
        let item = try scanner.readUntil(UInt8(ascii: ","))
        var trimmed = item[...]
        while let last = trimmed.last, SIPCharacters.isWhitespace(last) { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { throw scanner.fail("empty value in a list") }
        guard items.count < SIPLimits.maximumValues else { throw .tooManyHeaders(field: field, limit: SIPLimits.maximumValues) }
        items.append(Array(trimmed))
        if scanner.isAtEnd { return items }
        scanner.index += 1
    }
}
