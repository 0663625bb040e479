/// Base64 (RFC 4648 §4, the standard alphabet with "=" padding), as xsd:base64Binary carries
/// root-cert and signature values in the overlay configuration (RFC 6940 §11.1). Config does
/// not depend on Crypto, so it has its own.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ data: [UInt8]) -> String {
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
            out.append(remaining > 1 ? alphabet[Int((second & 0x0F) << 2 | third >> 6)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? alphabet[Int(third & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes, ignoring XML whitespace anywhere (line-wrapped values); nil on any other
    /// character, a length that is not a multiple of 4, misplaced padding or non-zero pad bits.
    public static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        let characters = text.filter { !XMLCharacters.isWhitespace($0) }
        guard characters.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count / 4 * 3)
        var index = 0
        while index < characters.count {
            let isLast = index + 4 == characters.count
            guard let group = decodeGroup(characters[index..<(index + 4)], isLast: isLast) else { return nil }
            out.append(contentsOf: group)
            index += 4
        }
        return out
    }

    static func decodeGroup(_ group: ArraySlice<UInt8>, isLast: Bool) -> [UInt8]? {
        let values = group.map { value(of: $0) }
        let padding = group.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
        guard padding <= 2, padding == 0 || isLast else { return nil }
        for position in 0..<(4 - padding) where values[values.startIndex + position] == nil { return nil }
        let v = values.map { $0 ?? 0 }
        let bits = UInt32(v[0]) << 18 | UInt32(v[1]) << 12 | UInt32(v[2]) << 6 | UInt32(v[3])
        let bytes = [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
        // Canonical encoding: the bits under the padding are zero.
        if padding == 1 && bytes[2] != 0 { return nil }
        if padding == 2 && (bytes[1] != 0 || bytes[2] != 0) { return nil }
        return Array(bytes[0..<(3 - padding)])
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
