import Wire

/// §7.2.2 ArrayEntry: index u32 ‖ DataValue. Index 0xffffffff appends (§7.4.1.1).
public struct ArrayEntry: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ArrayEntry"
    /// §7.4.1.1: store at the end of the array, whatever its length.
    public static let appendIndex: UInt32 = 0xFFFF_FFFF

    public var index: UInt32
    public var value: DataValue

    public init(index: UInt32, value: DataValue) {
        self.index = index
        self.value = value
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ArrayEntry {
        let index = try reader.readUInt32("ArrayEntry.index")
        return ArrayEntry(index: index, value: try DataValue.decode(from: &reader, configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt32(index)
        try value.encode(to: &writer)
    }
}
