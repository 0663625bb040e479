import Wire

/// §7.4.3.2 StoredMetaData: value_length u32 ‖ storage_time u64 ‖ lifetime u32 ‖ MetaDataValue.
/// value_length corresponds to StoredData's length ("the same as the corresponding fields in
/// StoredData"): the size of the rest of the structure, which the metadata must fill exactly
/// (Wireshark reads it the same way).
public struct StoredMetaData: ModelledValue, Sendable {
    public var storageTime: UInt64
    public var lifetime: UInt32
    public var metadata: MetaDataValue

    public init(storageTime: UInt64, lifetime: UInt32, metadata: MetaDataValue) {
        self.storageTime = storageTime
        self.lifetime = lifetime
        self.metadata = metadata
    }

    public static func decode(
        model: DataModel, from reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> StoredMetaData {
        var body = try reader.readContainer(4, "StoredMetaData.value_length", configuration)
        let storageTime = try body.readUInt64("StoredMetaData.storage_time")
        let lifetime = try body.readUInt32("StoredMetaData.lifetime")
        let metadata = try MetaDataValue.decode(model: model, from: &body, configuration)
        try body.expectEnd("StoredMetaData.value_length")
        return StoredMetaData(storageTime: storageTime, lifetime: lifetime, metadata: metadata)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        let mark = writer.beginContainer(lengthWidth: 4)
        writer.writeUInt64(storageTime)
        writer.writeUInt32(lifetime)
        try metadata.encode(to: &writer)
        try writer.endContainer(mark, "StoredMetaData.value_length")
    }
}
