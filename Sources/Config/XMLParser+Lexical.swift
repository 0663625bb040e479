extension XMLParser {
    func hasPrefix(_ text: [UInt8]) -> Bool {
        guard bytes.count - offset >= text.count else { return false }
        for index in 0..<text.count where bytes[offset + index] != text[index] { return false }
        return true
    }

    /// Skips S; true if there was any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = offset
        while offset < bytes.count, XMLCharacters.isWhitespace(bytes[offset]) { offset += 1 }
        return offset > start
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(OverlayConfigError) {
        guard offset < bytes.count, bytes[offset] == byte else { throw malformed("expected \(what)") }
        offset += 1
    }

    /// A QName of ASCII NCNames: NCName (':' NCName)?
    mutating func parseName() throws(OverlayConfigError) -> [UInt8] {
        let start = offset
        guard offset < bytes.count, XMLCharacters.isNameStart(bytes[offset]) else {
            throw malformed("expected a name (ASCII letters, digits, - _ . and one :)")
        }
        var colons = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: ":") {
                colons += 1
                guard colons == 1, offset + 1 < bytes.count, XMLCharacters.isNameStart(bytes[offset + 1]) else {
                    throw malformed("malformed qualified name")
                }
            } else if !XMLCharacters.isNameCharacter(byte) {
                break
            }
            offset += 1
            guard offset - start <= ConfigLimits.maximumNameBytes else {
                throw overLimit("name length", ConfigLimits.maximumNameBytes, at: start)
            }
        }
        return Array(bytes[start..<offset])
    }

    /// AttValue ::= '"' ([^<&"] | Reference)* '"' | "'" ([^<&'] | Reference)* "'", normalised
    /// as XML 1.0 §3.3.3 says for CDATA attributes: literal whitespace becomes a space.
    mutating func parseAttributeValue() throws(OverlayConfigError) -> [UInt8] {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'") else {
            throw malformed("attribute value must be quoted")
        }
        let quote = bytes[offset]
        offset += 1
        var value: [UInt8] = []
        while true {
            guard offset < bytes.count else { throw malformed("attribute value not closed") }
            let byte = bytes[offset]
            if byte == quote {
                offset += 1
                return value
            }
            switch byte {
            case UInt8(ascii: "<"):
                throw malformed("< in an attribute value")
            case UInt8(ascii: "&"):
                value.append(contentsOf: try parseReference())
            case 0x0D:
                value.append(0x20)
                offset += 1
                if offset < bytes.count, bytes[offset] == 0x0A { offset += 1 }
            case 0x09, 0x0A:
                value.append(0x20)
                offset += 1
            default:
                value.append(byte)
                offset += 1
            }
            guard value.count <= ConfigLimits.maximumAttributeValueBytes else {
                throw overLimit("attribute value length", ConfigLimits.maximumAttributeValueBytes)
            }
        }
    }

    /// Reference ::= '&' ('lt' | 'gt' | 'amp' | 'apos' | 'quot') ';' | '&#' [0-9]+ ';' |
    /// '&#x' [0-9a-fA-F]+ ';'. Other entities cannot exist without a DOCTYPE.
    mutating func parseReference() throws(OverlayConfigError) -> [UInt8] {
        let start = offset
        let predefined: [(String, UInt8)] = [("&lt;", 0x3C), ("&gt;", 0x3E), ("&amp;", 0x26), ("&apos;", 0x27), ("&quot;", 0x22)]
        for (name, character) in predefined where hasPrefix(Array(name.utf8)) {
            offset += name.utf8.count
            return [character]
        }
        guard hasPrefix(Array("&#".utf8)) else {
            throw malformed("unknown entity reference (only &lt; &gt; &amp; &apos; &quot; and &#...;)", at: start)
        }
        offset += 2
        let hexadecimal = offset < bytes.count && bytes[offset] == UInt8(ascii: "x")
        if hexadecimal { offset += 1 }
        var scalar: UInt32 = 0
        var digits = 0
        while offset < bytes.count, bytes[offset] != UInt8(ascii: ";") {
            guard let digit = XMLParser.digitValue(bytes[offset], hexadecimal: hexadecimal), digits < 8 else {
                throw malformed("malformed character reference", at: start)
            }
            scalar = scalar * (hexadecimal ? 16 : 10) + digit
            digits += 1
            offset += 1
        }
        guard digits > 0, offset < bytes.count, XMLCharacters.isCharacter(scalar) else {
            throw malformed("character reference to a character XML does not allow", at: start)
        }
        offset += 1
        return XMLCharacters.encode(scalar)
    }

    static func digitValue(_ byte: UInt8, hexadecimal: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hexadecimal: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hexadecimal: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Comment ::= '<!--' ((Char - '-') | ('-' (Char - '-')))* '-->'
    mutating func skipComment() throws(OverlayConfigError) {
        let start = offset
        offset += 4
        while offset < bytes.count {
            if hasPrefix(Array("--".utf8)) {
                guard hasPrefix(Array("-->".utf8)) else { throw malformed("-- inside a comment", at: offset) }
                offset += 3
                return
            }
            offset += 1
            guard offset - start <= ConfigLimits.maximumCommentBytes else {
                throw overLimit("comment length", ConfigLimits.maximumCommentBytes, at: start)
            }
        }
        throw malformed("comment not closed", at: start)
    }

    /// XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>', only at the very start;
    /// version 1.0, encoding UTF-8 (any case), standalone yes or no.
    mutating func parseXMLDeclarationIfPresent() throws(OverlayConfigError) {
        guard hasPrefix(Array("<?xml".utf8)), offset + 5 < bytes.count, XMLCharacters.isWhitespace(bytes[offset + 5])
        else { return }
        offset += 5
        var seen: [String] = []
        while true {
            let spaced = skipWhitespace()
            if hasPrefix(Array("?>".utf8)) {
                offset += 2
                break
            }
            guard spaced else { throw malformed("malformed XML declaration") }
            let name = String(decoding: try parseName(), as: UTF8.self)
            skipWhitespace()
            try expect(UInt8(ascii: "="), "= in the XML declaration")
            skipWhitespace()
            let value = String(decoding: try parseAttributeValue(), as: UTF8.self)
            try checkDeclaration(name: name, value: value, after: seen)
            seen.append(name)
        }
        guard seen.first == "version" else { throw malformed("XML declaration without version") }
    }

    func checkDeclaration(name: String, value: String, after seen: [String]) throws(OverlayConfigError) {
        let order = ["version", "encoding", "standalone"]
        guard let position = order.firstIndex(of: name), !seen.contains(name),
            seen.allSatisfy({ order.firstIndex(of: $0)! < position })
        else { throw malformed("unexpected \(name) in the XML declaration") }
        let lowered = String(decoding: value.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        switch name {
        case "version" where value != "1.0":
            throw malformed("XML version \(value) (only 1.0)")
        case "encoding" where lowered != "utf-8":
            throw malformed("encoding \(value) (RFC 6940 §11.1: the file MUST use UTF-8)")
        case "standalone" where value != "yes" && value != "no":
            throw malformed("standalone must be yes or no")
        default:
            return
        }
    }
}
