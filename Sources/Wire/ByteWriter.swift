/// Writes big-endian fields into a growing byte array. Length-prefixed containers are written
/// by reserving the length field, writing the contents, then patching the length, which is
/// checked against the width of the field (a value that does not fit is an error, never a
/// silent truncation).
public struct ByteWriter {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    public mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func writeUInt16(_ value: UInt16) {
        writeUnsigned(UInt64(value), width: 2)
    }

    /// Writes the low 24 bits; `value` must fit (a bug otherwise).
    public mutating func writeUInt24(_ value: UInt32) {
        precondition(value <= 0xFF_FFFF)
        writeUnsigned(UInt64(value), width: 3)
    }

    public mutating func writeUInt32(_ value: UInt32) {
        writeUnsigned(UInt64(value), width: 4)
    }

    public mutating func writeUInt64(_ value: UInt64) {
        writeUnsigned(value, width: 8)
    }

    mutating func writeUnsigned(_ value: UInt64, width: Int) {
        precondition(width >= 1 && width <= 8)
        var shift = (width - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }

    public mutating func writeBytes<C: Collection>(_ data: C) where C.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    /// Writes `data` under a length prefix of `width` bytes.
    public mutating func writeOpaque<C: Collection>(
        _ data: C, lengthWidth width: Int, _ field: String
    ) throws(WireError) where C.Element == UInt8 {
        let mark = beginContainer(lengthWidth: width)
        writeBytes(data)
        try endContainer(mark, field)
    }

    /// Marks the start of a length-prefixed container; finish it with `endContainer`.
    public struct ContainerMark {
        let lengthOffset: Int
        let width: Int
    }

    public mutating func beginContainer(lengthWidth width: Int) -> ContainerMark {
        precondition(width >= 1 && width <= 4)
        let mark = ContainerMark(lengthOffset: bytes.count, width: width)
        for _ in 0..<width { bytes.append(0) }
        return mark
    }

    public mutating func endContainer(_ mark: ContainerMark, _ field: String) throws(WireError) {
        let length = bytes.count - mark.lengthOffset - mark.width
        // 64-bit arithmetic: on 32-bit boards Int cannot hold 2^32 - 1.
        let limit = (UInt64(1) << UInt64(8 * mark.width)) - 1
        if UInt64(length) > limit {
            throw .valueTooLong(field: field, length: length, limit: Int(clamping: limit))
        }
        var shift = (mark.width - 1) * 8
        var index = mark.lengthOffset
        while shift >= 0 {
            bytes[index] = UInt8(truncatingIfNeeded: length >> shift)
            shift -= 8
            index += 1
        }
    }

    /// Overwrites bytes already written (for fields computed after the fact, e.g. lengths).
    public mutating func patchUInt32(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= bytes.count)
        bytes[offset] = UInt8(truncatingIfNeeded: value >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
