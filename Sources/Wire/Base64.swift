/// Base64 (RFC 4648 §4: the standard alphabet, "=" padding), the one codec of the package:
/// xsd:base64Binary in the overlay configuration (RFC 6940 §11.1: root-cert, signature) and
/// the body of PEM armour (RFC 7468 §3).
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let pad = UInt8(ascii: "=")

    /// The padded encoding (RFC 4648 §4), without line breaks.
    public static func encode(_ data: [UInt8]) -> String {
        return String(decoding: encodeBytes(data), as: UTF8.self)
    }

    /// The same encoding as ASCII bytes (for PEM, which wraps it in lines).
    public static func encodeBytes(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var index = 0
        while index < data.count {
            let remaining = data.count - index
            let first = data[index]
            let second = remaining > 1 ? data[index + 1] : 0
            let third = remaining > 2 ? data[index + 2] : 0
            out.append(alphabet[Int(first >> 2)])
            out.append(alphabet[Int((first & 0x03) << 4 | second >> 4)])
            out.append(remaining > 1 ? alphabet[Int((second & 0x0F) << 2 | third >> 6)] : pad)
            out.append(remaining > 2 ? alphabet[Int(third & 0x3F)] : pad)
            index += 3
        }
        return out
    }

    /// Decodes strictly: only the §4 alphabet, a length that is a multiple of 4 (§3.2: padding
    /// is required), "=" only at the end of the last group, and zero pad bits (§3.5: the
    /// canonical encoding). ASCII whitespace (space, tab, CR, LF) anywhere is skipped, as §3.3
    /// lets a specification allow: XML and PEM wrap long values in lines. nil on anything
    /// else, or when the decoded value would be longer than `limit` bytes.
    public static func decode<C: Collection>(_ text: C, limit: Int) -> [UInt8]? where C.Element == UInt8 {
        var characters: [UInt8] = []
        characters.reserveCapacity(text.count)
        for character in text where !isWhitespace(character) {
            characters.append(character)
        }
        guard characters.count % 4 == 0, characters.count / 4 * 3 <= limit + 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count / 4 * 3)
        var index = 0
        while index < characters.count {
            let isLast = index + 4 == characters.count
            guard let group = decodeGroup(characters[index..<(index + 4)], isLast: isLast) else { return nil }
            out.append(contentsOf: group)
            index += 4
        }
        return out.count <= limit ? out : nil
    }

    /// One group of four characters: three bytes, or two or one under "=" padding.
    static func decodeGroup(_ group: ArraySlice<UInt8>, isLast: Bool) -> [UInt8]? {
        let start = group.startIndex
        var padding = 0
        if group[start + 3] == pad { padding = group[start + 2] == pad ? 2 : 1 }
        guard padding == 0 || isLast else { return nil }
        var bits: UInt32 = 0
        for position in 0..<4 {
            if position >= 4 - padding {
                bits <<= 6
                continue
            }
            guard let value = value(of: group[start + position]) else { return nil }
            bits = bits << 6 | UInt32(value)
        }
        let bytes = [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
        // §3.5: the bits under the padding are zero in the canonical encoding.
        if padding == 1 && bytes[2] != 0 { return nil }
        if padding == 2 && (bytes[1] != 0 || bytes[2] != 0) { return nil }
        return Array(bytes[0..<(3 - padding)])
    }

    static func isWhitespace(_ character: UInt8) -> Bool {
        return character == 0x20 || character == 0x09 || character == 0x0D || character == 0x0A
    }

    static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
