/// A minimal bounded DER (X.690) reader for the structures mbedTLS 2.28 cannot parse or does
/// not expose (extensions it does not know, a CSR with an empty subject). Reads one TLV at a
/// time; short and long-form lengths up to 4 bytes; never reads outside its window.
struct DERReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
        end = bytes.count
    }

    var isAtEnd: Bool { offset >= end }

    /// The next element: its tag byte and its contents. nil on a truncated or malformed
    /// element (multi-byte tags and indefinite lengths included: DER has none here).
    mutating func next() -> (tag: UInt8, contents: [UInt8])? {
        guard let element = nextElement() else { return nil }
        return (element.tag, Array(bytes[element.contents]))
    }

    /// The next element with its place in `bytes`: `encoding` is the whole tag-length-value
    /// (what a signature covers, RFC 2986 §4.2), `contents` the value alone. nil as `next()`.
    mutating func nextElement() -> (tag: UInt8, encoding: Range<Int>, contents: Range<Int>)? {
        guard end - offset >= 2 else { return nil }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { return nil }
        var cursor = offset + 1
        var length = Int(bytes[cursor])
        cursor += 1
        if length & 0x80 != 0 {
            let width = length & 0x7F
            guard width >= 1, width <= 4, end - cursor >= width else { return nil }
            length = 0
            for _ in 0..<width {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
        }
        guard length <= end - cursor else { return nil }
        let start = offset
        offset = cursor + length
        return (tag, start..<offset, cursor..<offset)
    }

    /// The next element if it has `tag`, else nil (and nothing is consumed).
    mutating func next(tag: UInt8) -> [UInt8]? {
        var copy = self
        guard let element = copy.next(), element.tag == tag else { return nil }
        self = copy
        return element.contents
    }
}
