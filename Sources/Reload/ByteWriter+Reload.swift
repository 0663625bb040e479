import Wire

// Writes of the presentation-language building blocks of RFC 6940 §6.3.1, mirroring
// ByteReader+Reload: every count limit the decoder applies, the encoder applies too.
extension ByteWriter {
    /// §6.3.1.1 Boolean.
    mutating func writeBoolean(_ value: Bool) {
        writeUInt8(value ? 1 : 0)
    }

    /// `T items<0..2^(8*width)-1>`.
    mutating func writeList<T: ReloadCodable>(
        _ items: [T], _ width: Int, countLimit: Int, _ field: String
    ) throws(WireError) {
        try checkCount(items.count, countLimit, field)
        let mark = beginContainer(lengthWidth: width)
        try writeElements(items)
        try endContainer(mark, field)
    }

    /// Elements without a length prefix.
    mutating func writeElements<T: ReloadCodable>(_ items: [T]) throws(WireError) {
        for item in items {
            try item.encode(to: &self)
        }
    }

    /// A list of opaque values, each under an `elementWidth`-byte length, inside a container
    /// with a `width`-byte length.
    mutating func writeOpaqueList(
        _ items: [[UInt8]], _ width: Int, _ elementWidth: Int, countLimit: Int, _ field: String
    ) throws(WireError) {
        try checkCount(items.count, countLimit, field)
        let mark = beginContainer(lengthWidth: width)
        for item in items {
            try writeOpaque(item, lengthWidth: elementWidth, field)
        }
        try endContainer(mark, field)
    }

    func checkCount(_ count: Int, _ limit: Int, _ field: String) throws(WireError) {
        if count > limit { throw .countOverLimit(field: field, offset: self.count, limit: limit) }
    }
}
