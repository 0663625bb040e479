/// Reads big-endian ("network order", RFC 6940 §6.3) fields from a bounded window of a byte
/// array. Every read checks the window first and moves the offset only on success, so a failed
/// read leaves the reader where it was (SwiftNIO's ByteBuffer idiom). Nested containers get a
/// reader of their own whose window ends where the container's length says.
public struct ByteReader {
    public let bytes: [UInt8]
    /// Offset of the next unread byte, relative to the start of `bytes`.
    public private(set) var offset: Int
    /// One past the last byte this reader may read.
    public let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
    }

    init(bytes: [UInt8], offset: Int, end: Int) {
        precondition(offset >= 0 && offset <= end && end <= bytes.count)
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset == end }

    @inline(__always)
    mutating func need(_ count: Int, _ field: String) throws(WireError) {
        if count > end - offset {
            throw .truncated(field: field, offset: offset, needed: count, available: end - offset)
        }
    }

    public mutating func readUInt8(_ field: String) throws(WireError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16(_ field: String) throws(WireError) -> UInt16 {
        return UInt16(truncatingIfNeeded: try readUnsigned(2, field))
    }

    public mutating func readUInt24(_ field: String) throws(WireError) -> UInt32 {
        return UInt32(truncatingIfNeeded: try readUnsigned(3, field))
    }

    public mutating func readUInt32(_ field: String) throws(WireError) -> UInt32 {
        return UInt32(truncatingIfNeeded: try readUnsigned(4, field))
    }

    public mutating func readUInt64(_ field: String) throws(WireError) -> UInt64 {
        return try readUnsigned(8, field)
    }

    mutating func readUnsigned(_ width: Int, _ field: String) throws(WireError) -> UInt64 {
        precondition(width >= 1 && width <= 8)
        try need(width, field)
        var value: UInt64 = 0
        for index in offset..<(offset + width) {
            value = value << 8 | UInt64(bytes[index])
        }
        offset += width
        return value
    }

    /// Reads exactly `count` bytes.
    public mutating func readBytes(_ count: Int, _ field: String) throws(WireError) -> [UInt8] {
        precondition(count >= 0)
        try need(count, field)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int, _ field: String) throws(WireError) {
        precondition(count >= 0)
        try need(count, field)
        offset += count
    }

    /// Reads a length of `width` bytes (1, 2, 3 or 4, the `<0..2^8-1>` ... `<0..2^32-1>` of
    /// the RFC's presentation language), checks it against `limit` and the container, and
    /// returns a reader for exactly that many bytes, advancing past them.
    public mutating func readContainer(
        lengthWidth width: Int, limit: Int, _ field: String
    ) throws(WireError) -> ByteReader {
        precondition(limit >= 0, "negative length limit for \(field)")
        let start = offset
        let announced = try readUnsigned(width, field)
        // Compared as UInt64 first: a 4-byte length may not fit Int on a 32-bit board.
        guard announced <= UInt64(limit) else {
            offset = start
            throw .lengthOverLimit(field: field, offset: start, length: Int(clamping: announced), limit: limit)
        }
        let length = Int(announced)
        if length > end - offset {
            let available = end - offset
            offset = start
            throw .truncated(field: field, offset: start + width, needed: length, available: available)
        }
        let inner = ByteReader(bytes: bytes, offset: offset, end: offset + length)
        offset += length
        return inner
    }

    /// Reads a length-prefixed opaque value (`opaque x<0..2^N-1>`).
    public mutating func readOpaque(
        lengthWidth width: Int, limit: Int, _ field: String
    ) throws(WireError) -> [UInt8] {
        var inner = try readContainer(lengthWidth: width, limit: limit, field)
        return try inner.readBytes(inner.remaining, field)
    }

    /// Takes a reader over the next `count` bytes, advancing past them.
    public mutating func readFixedContainer(_ count: Int, _ field: String) throws(WireError) -> ByteReader {
        try need(count, field)
        let inner = ByteReader(bytes: bytes, offset: offset, end: offset + count)
        offset += count
        return inner
    }

    /// Throws unless every byte of the window was consumed.
    public func expectEnd(_ field: String) throws(WireError) {
        if offset != end {
            throw .trailingBytes(field: field, offset: offset, count: end - offset)
        }
    }

    /// The unread bytes, without consuming them.
    public var unreadBytes: ArraySlice<UInt8> { bytes[offset..<end] }
}
