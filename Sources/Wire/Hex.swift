/// Hexadecimal text for logs, the command line, test vectors and the `reload://` URIs of
/// certificates.
public enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex digits, ignoring ASCII whitespace and one leading "0x"; nil on any other
    /// character or an odd number of digits.
    public static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        var characters = Array(text).filter { !isSpace($0) }
        if characters.count >= 2 && characters[0] == 0x30 && (characters[1] | 0x20) == 0x78 {
            characters.removeFirst(2)
        }
        if characters.count % 2 != 0 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(of: characters[index]), let low = value(of: characters[index + 1])
            else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func isSpace(_ character: UInt8) -> Bool {
        return character == 0x20 || character == 0x0A || character == 0x0D || character == 0x09
    }

    public static func decode(_ text: String) -> [UInt8]? {
        return decode(Array(text.utf8))
    }

    static func value(of character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: return character - 0x30
        case 0x61...0x66: return character - 0x61 + 10
        case 0x41...0x46: return character - 0x41 + 10
        default: return nil
        }
    }
}
