import CMbedTLS

/// PEM armour (RFC 7468): base64 between BEGIN/END lines.
public enum PEM {
    /// True when the bytes start (after whitespace) with "-----BEGIN ".
    public static func looksLikePEM(_ data: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        var index = 0
        while index < data.count, data[index] == 0x20 || data[index] == 0x0A || data[index] == 0x0D || data[index] == 0x09 {
            index += 1
        }
        guard data.count - index >= marker.count else { return false }
        return Array(data[index..<(index + marker.count)]) == marker
    }

    /// Armours `der` under `label`, with 64-character lines.
    public static func encode(_ der: [UInt8], label: String) -> [UInt8] {
        let body = base64(der)
        var out = Array("-----BEGIN \(label)-----\n".utf8)
        var index = 0
        while index < body.count {
            let end = min(index + 64, body.count)
            out.append(contentsOf: body[index..<end])
            out.append(0x0A)
            index = end
        }
        out.append(contentsOf: Array("-----END \(label)-----\n".utf8))
        return out
    }

    /// Every block labelled `label`, decoded; blocks with other labels are skipped.
    /// Throws on a block that does not end or whose base64 is invalid.
    public static func decodeAll(_ text: [UInt8], label: String) throws(CryptoError) -> [[UInt8]] {
        let begin = Array("-----BEGIN \(label)-----".utf8)
        let end = Array("-----END \(label)-----".utf8)
        var blocks: [[UInt8]] = []
        var index = 0
        while let start = find(begin, in: text, from: index) {
            let bodyStart = start + begin.count
            guard let stop = find(end, in: text, from: bodyStart) else {
                throw .malformed("PEM block \(label) without END line")
            }
            let body = text[bodyStart..<stop].filter { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }
            blocks.append(try base64Decode(Array(body)))
            index = stop + end.count
        }
        return blocks
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle {
                return index
            }
            index += 1
        }
        return nil
    }

    public static func base64(_ data: [UInt8]) -> [UInt8] {
        var written = 0
        var output = [UInt8](repeating: 0, count: (data.count + 2) / 3 * 4 + 1)
        let code = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                mbedtls_base64_encode(out.baseAddress, out.count, &written, input.baseAddress, input.count)
            }
        }
        precondition(code == 0, "mbedtls_base64_encode with a buffer of the computed size")
        return Array(output[0..<written])
    }

    public static func base64Decode(_ text: [UInt8]) throws(CryptoError) -> [UInt8] {
        var written = 0
        var output = [UInt8](repeating: 0, count: text.count / 4 * 3 + 3)
        let code = text.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                mbedtls_base64_decode(out.baseAddress, out.count, &written, input.baseAddress, input.count)
            }
        }
        if code != 0 { throw .malformed("invalid base64") }
        return Array(output[0..<written])
    }
}
