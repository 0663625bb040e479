import Wire

/// §7.2 DataValue: exists Boolean ‖ value opaque<0..2^32-1>. exists = False with an empty
/// value is how values are removed (§7.4.1.3).
public struct DataValue: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "DataValue"
    public var exists: Bool
    public var value: [UInt8]

    public init(exists: Bool = true, value: [UInt8]) {
        self.exists = exists
        self.value = value
    }

    /// §7.4.1.3: the value that removes a stored value.
    public static let nonexistent = DataValue(exists: false, value: [])

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> DataValue {
        let exists = try reader.readBoolean("DataValue.exists")
        let value = try reader.readOpaque(4, "DataValue.value", configuration)
        return DataValue(exists: exists, value: value)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeBoolean(exists)
        try writer.writeOpaque(value, lengthWidth: 4, "DataValue.value")
    }
}
