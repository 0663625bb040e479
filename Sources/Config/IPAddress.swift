/// Textual IP addresses as bootstrap-node address attributes carry them (RFC 6940 §11.1:
/// "either IPv4 or IPv6, since they can be distinguished", IPv6 per RFC 5952).
public enum IPAddress {
    /// 4 bytes for dotted-quad IPv4 (no leading zeros), 16 bytes for IPv6 (RFC 4291 §2.2,
    /// "::" compression and an embedded IPv4 tail allowed, no zone index); nil otherwise.
    public static func parse(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 45 else { return nil }
        if bytes.contains(UInt8(ascii: ":")) { return parseIPv6(bytes) }
        return parseIPv4(ArraySlice(bytes))
    }

    static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            guard part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            address.append(UInt8(value))
        }
        return address
    }

    static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        let doubleColon = Array("::".utf8)
        var gap: Int? = nil
        for index in 0..<(text.count - 1) where text[index] == doubleColon[0] && text[index + 1] == doubleColon[1] {
            if gap != nil { return nil }
            gap = index
        }
        guard let gapIndex = gap else { return groups(ArraySlice(text), allowIPv4Tail: true).flatMap { $0.count == 16 ? $0 : nil } }
        let head = text[..<gapIndex]
        let tail = text[(gapIndex + 2)...]
        guard let front = head.isEmpty ? [] : groups(head, allowIPv4Tail: false),
            let back = tail.isEmpty ? [] : groups(tail, allowIPv4Tail: true), front.count + back.count <= 14
        else { return nil }
        return front + [UInt8](repeating: 0, count: 16 - front.count - back.count) + back
    }

    /// h16 *(":" h16) [":" IPv4address], as bytes.
    static func groups(_ text: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var out: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowIPv4Tail, part.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(part) else { return nil }
                out.append(contentsOf: v4)
                continue
            }
            guard !part.isEmpty, part.count <= 4 else { return nil }
            var value: UInt16 = 0
            for character in part {
                guard let digit = XMLParser.digitValue(character, hexadecimal: true) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            out.append(UInt8(value >> 8))
            out.append(UInt8(value & 0xFF))
        }
        return out.count <= 16 ? out : nil
    }
}
