import Wire

/// §7 StoredData: length u32 (of the rest) ‖ storage_time u64 (ms since 1970) ‖ lifetime u32
/// (s) ‖ StoredDataValue ‖ Signature (§7.1). The value and the signature must fill `length`
/// exactly.
public struct StoredData: ModelledValue, Sendable {
    public var storageTime: UInt64
    public var lifetime: UInt32
    public var value: StoredDataValue
    public var signature: Signature

    public init(storageTime: UInt64, lifetime: UInt32, value: StoredDataValue, signature: Signature) {
        self.storageTime = storageTime
        self.lifetime = lifetime
        self.value = value
        self.signature = signature
    }

    public static func decode(
        model: DataModel, from reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> StoredData {
        var body = try reader.readContainer(4, "StoredData.length", configuration)
        let storageTime = try body.readUInt64("StoredData.storage_time")
        let lifetime = try body.readUInt32("StoredData.lifetime")
        let value = try StoredDataValue.decode(model: model, from: &body, configuration)
        let signature = try Signature.decode(from: &body, configuration)
        try body.expectEnd("StoredData.length")
        return StoredData(storageTime: storageTime, lifetime: lifetime, value: value, signature: signature)
    }

    /// Decodes one StoredData that fills `bytes` (e.g. a record read back from storage).
    public static func decode(
        model: DataModel, bytes: [UInt8], _ configuration: CodecConfiguration = CodecConfiguration()
    ) throws(WireError) -> StoredData {
        var reader = ByteReader(bytes)
        let data = try decode(model: model, from: &reader, configuration)
        try reader.expectEnd("StoredData")
        return data
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        let mark = writer.beginContainer(lengthWidth: 4)
        writer.writeUInt64(storageTime)
        writer.writeUInt32(lifetime)
        try value.encode(to: &writer)
        try signature.encode(to: &writer)
        try writer.endContainer(mark, "StoredData.length")
    }

    public func encoded() throws(WireError) -> [UInt8] {
        var writer = ByteWriter()
        try encode(to: &writer)
        return writer.bytes
    }
}
