import Wire

/// §6.3.1.1: `typedef opaque NodeId[NodeIdLength]`, a fixed-length Node-ID of 16 to 20 bytes
/// (the overlay's node-id-length), most significant byte first.
///
/// Held inline (no heap allocation): bytes 0..<8 in `high`, 8..<16 in `middle`, 16..<20
/// left-aligned in `low`. Ordering is that of big-endian unsigned integers (§6.5.1.2 tie-break,
/// Chord ring arithmetic), for Node-IDs of the same length.
public struct NodeId: Hashable, Comparable, ReloadCodable, Sendable {
    public static let rfcName = "NodeId"
    let high: UInt64
    let middle: UInt64
    let low: UInt32
    let byteCount: UInt8

    /// Nil unless `bytes` has 16 to 20 bytes.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard ReloadConstants.nodeIdLengthRange.contains(bytes.count) else { return nil }
        var high: UInt64 = 0
        var middle: UInt64 = 0
        var low: UInt32 = 0
        var index = 0
        for byte in bytes {
            if index < 8 {
                high = high << 8 | UInt64(byte)
            } else if index < 16 {
                middle = middle << 8 | UInt64(byte)
            } else {
                low |= UInt32(byte) << UInt32(8 * (19 - index))
            }
            index += 1
        }
        self.init(high: high, middle: middle, low: low, length: bytes.count)
    }

    init(high: UInt64, middle: UInt64, low: UInt32, length: Int) {
        precondition(ReloadConstants.nodeIdLengthRange.contains(length))
        let unused = UInt32(8 * (20 - length))
        precondition(unused == 32 || low & ((1 << unused) - 1) == 0, "bytes past the Node-ID length")
        self.high = high
        self.middle = middle
        self.low = low
        self.byteCount = UInt8(length)
    }

    /// The number of bytes (the overlay's node-id-length).
    public var length: Int { Int(byteCount) }

    /// §3, §6.1.1: the all-ones wildcard Node-ID of the given length.
    public static func wildcard(length: Int) -> NodeId {
        let unused = UInt32(8 * (20 - length))
        let low: UInt32 = unused == 32 ? 0 : UInt32.max << unused
        return NodeId(high: .max, middle: .max, low: low, length: length)
    }

    public var isWildcard: Bool { self == NodeId.wildcard(length: length) }
    /// §3: the all-zero Node-ID is reserved and invalid.
    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    public func byte(at index: Int) -> UInt8 {
        precondition(index >= 0 && index < length)
        if index < 8 { return UInt8(truncatingIfNeeded: high >> UInt64(8 * (7 - index))) }
        if index < 16 { return UInt8(truncatingIfNeeded: middle >> UInt64(8 * (15 - index))) }
        return UInt8(truncatingIfNeeded: low >> UInt32(8 * (19 - index)))
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for index in 0..<length { out.append(byte(at: index)) }
        return out
    }

    public static func < (lhs: NodeId, rhs: NodeId) -> Bool {
        if lhs.high != rhs.high { return lhs.high < rhs.high }
        if lhs.middle != rhs.middle { return lhs.middle < rhs.middle }
        if lhs.low != rhs.low { return lhs.low < rhs.low }
        return lhs.byteCount < rhs.byteCount
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> NodeId {
        let length = configuration.nodeIdLength
        let high = try reader.readUInt64("NodeId")
        let middle = try reader.readUInt64("NodeId")
        var low: UInt32 = 0
        for index in 16..<length {
            low |= UInt32(try reader.readUInt8("NodeId")) << UInt32(8 * (19 - index))
        }
        return NodeId(high: high, middle: middle, low: low, length: length)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt64(high)
        writer.writeUInt64(middle)
        for index in 16..<length { writer.writeUInt8(byte(at: index)) }
    }

    /// Lowercase hex, as in logs and reload:// URIs.
    public var hex: String { Hex.encode(bytes) }
}
