import Wire

/// §7.4.2.1 ArrayRange: first ‖ last (int32 in the RFC's text; 0xffffffff names the last
/// element, so both are read as unsigned 32-bit values).
public struct ArrayRange: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ArrayRange"
    public var first: UInt32
    public var last: UInt32

    public init(first: UInt32, last: UInt32) {
        self.first = first
        self.last = last
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ArrayRange {
        let first = try reader.readUInt32("ArrayRange.first")
        let last = try reader.readUInt32("ArrayRange.last")
        return ArrayRange(first: first, last: last)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt32(first)
        writer.writeUInt32(last)
    }
}
