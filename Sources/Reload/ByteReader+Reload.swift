import Wire

// Reads of the presentation-language building blocks of RFC 6940 §6.3.1 on top of Wire's
// bounded reader: Boolean, opaque vectors bounded by the message size, and lists of structures
// with a count limit.
extension ByteReader {
    /// §6.3.1.1: `enum { false(0), true(1), (255) } Boolean`; any other byte is invalid.
    mutating func readBoolean(_ field: String) throws(WireError) -> Bool {
        let start = offset
        let value = try readUInt8(field)
        if value > 1 { throw .invalidValue(field: field, offset: start, value: UInt64(value)) }
        return value == 1
    }

    /// `opaque field<0..2^(8*width)-1>`, never longer than a message.
    mutating func readOpaque(
        _ width: Int, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> [UInt8] {
        return try readOpaque(lengthWidth: width, limit: configuration.lengthLimit(width), field)
    }

    /// A container whose length field has `width` bytes, never longer than a message.
    mutating func readContainer(
        _ width: Int, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> ByteReader {
        return try readContainer(lengthWidth: width, limit: configuration.lengthLimit(width), field)
    }

    /// `T items<0..2^(8*width)-1>`: the length counts bytes (§6.3.1), every element must end
    /// inside it, and at most `countLimit` elements are accepted.
    mutating func readList<T: ReloadCodable>(
        _ width: Int, countLimit: Int, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> [T] {
        var inner = try readContainer(width, field, configuration)
        return try inner.readElements(countLimit: countLimit, field, configuration)
    }

    /// Elements until the end of this reader's window.
    mutating func readElements<T: ReloadCodable>(
        countLimit: Int, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> [T] {
        var items: [T] = []
        while !isAtEnd {
            if items.count >= countLimit {
                throw .countOverLimit(field: field, offset: offset, limit: countLimit)
            }
            items.append(try T.decode(from: &self, configuration))
        }
        return items
    }

    /// A list of opaque values, each `opaque<0..2^(8*elementWidth)-1>`, inside a container.
    mutating func readOpaqueElements(
        _ elementWidth: Int, countLimit: Int, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> [[UInt8]] {
        var items: [[UInt8]] = []
        while !isAtEnd {
            if items.count >= countLimit {
                throw .countOverLimit(field: field, offset: offset, limit: countLimit)
            }
            items.append(try readOpaque(elementWidth, field, configuration))
        }
        return items
    }

    /// Throws `invalidValue` naming `field` unless `condition` holds.
    func require(_ condition: Bool, _ field: String, at start: Int, _ value: UInt64) throws(WireError) {
        if !condition { throw .invalidValue(field: field, offset: start, value: value) }
    }
}
