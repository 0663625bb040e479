/// The character classes of the SIP grammar (RFC 3261 §25.1), as predicates over bytes.
enum SIPCharacters {
    static func isAlpha(_ byte: UInt8) -> Bool {
        return (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        return isAlpha(byte) || isDigit(byte)
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        return isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }

    /// WSP = SP / HTAB
    static func isWhitespace(_ byte: UInt8) -> Bool {
        return byte == 0x20 || byte == 0x09
    }

    static func isAny(_ byte: UInt8, of set: StaticString) -> Bool {
        let pointer = set.utf8Start
        for index in 0..<set.utf8CodeUnitCount where pointer[index] == byte { return true }
        return false
    }

    /// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    static func isToken(_ byte: UInt8) -> Bool {
        return isAlphanumeric(byte) || isAny(byte, of: "-.!%*_+`'~")
    }

    /// word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
    /// "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")
    static func isWord(_ byte: UInt8) -> Bool {
        return isToken(byte) || isAny(byte, of: "()<>:\\\"/[]?{}")
    }

    /// unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    static func isUnreserved(_ byte: UInt8) -> Bool {
        return isAlphanumeric(byte) || isAny(byte, of: "-_.!~*'()")
    }

    /// user = 1*( unreserved / escaped / user-unreserved ), user-unreserved = "&" / "=" / "+" /
    /// "$" / "," / ";" / "?" / "/"  (escaped is checked by the caller)
    static func isUser(_ byte: UInt8) -> Bool {
        return isUnreserved(byte) || isAny(byte, of: "&=+$,;?/")
    }

    /// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )  (escaped is checked
    /// by the caller)
    static func isPassword(_ byte: UInt8) -> Bool {
        return isUnreserved(byte) || isAny(byte, of: "&=+$,")
    }

    /// paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" /
    /// ":" / "&" / "+" / "$"
    static func isParameter(_ byte: UInt8) -> Bool {
        return isUnreserved(byte) || isAny(byte, of: "[]/:&+$")
    }

    /// hnv-unreserved / unreserved: the characters of a URI header's name and value.
    static func isURIHeader(_ byte: UInt8) -> Bool {
        return isUnreserved(byte) || isAny(byte, of: "[]/?:+$")
    }

    /// The printable characters of a reason phrase, a header value or a quoted string's text:
    /// no control characters but HTAB (RFC 3261 §25.1 TEXT-UTF8char / UTF8-NONASCII).
    static func isText(_ byte: UInt8) -> Bool {
        return byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        return byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    static func uppercased(_ byte: UInt8) -> UInt8 {
        return byte >= 0x61 && byte <= 0x7A ? byte & 0xDF : byte
    }

    static func lowercased<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        return bytes.map { lowercased($0) }
    }

    static func equalsIgnoringCase<C: Collection>(_ bytes: C, _ text: StaticString) -> Bool where C.Element == UInt8 {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        var index = 0
        for byte in bytes {
            if lowercased(byte) != lowercased(text.utf8Start[index]) { return false }
            index += 1
        }
        return true
    }

    /// Decimal digits to a number, nil when empty, not all digits, or over `maximum`.
    static func decimal<C: Collection>(_ bytes: C, maximum: UInt64) -> UInt64? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= SIPLimits.maximumDigits else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value <= maximum ? value : nil
    }

    static func decimalText(_ value: UInt64) -> [UInt8] {
        if value == 0 { return [UInt8(ascii: "0")] }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(UInt8(rest % 10) + 0x30)
            rest /= 10
        }
        return digits.reversed()
    }
}
