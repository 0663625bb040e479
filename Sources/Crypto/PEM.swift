import Wire

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
        let body = Base64.encodeBytes(der)
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
            // The body's length bounds the decoded block; line breaks are skipped by Base64.
            guard let block = Base64.decode(text[bodyStart..<stop], limit: stop - bodyStart) else {
                throw .malformed("invalid base64")
            }
            blocks.append(block)
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
}
