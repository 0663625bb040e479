import Wire

/// §7.4.3.2 MetaData: exists Boolean ‖ value_length u32 ‖ hash_algorithm ‖ hash_value<0..255>
/// (the digest of the DataValue's value including its four length bytes).
public struct MetaData: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "MetaData"
    public var exists: Bool
    public var valueLength: UInt32
    public var hashAlgorithm: HashAlgorithm
    public var hashValue: [UInt8]

    public init(exists: Bool, valueLength: UInt32, hashAlgorithm: HashAlgorithm, hashValue: [UInt8]) {
        self.exists = exists
        self.valueLength = valueLength
        self.hashAlgorithm = hashAlgorithm
        self.hashValue = hashValue
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> MetaData {
        let exists = try reader.readBoolean("MetaData.exists")
        let length = try reader.readUInt32("MetaData.value_length")
        let algorithm = HashAlgorithm(rawValue: try reader.readUInt8("MetaData.hash_algorithm"))
        let hash = try reader.readOpaque(1, "MetaData.hash_value", configuration)
        return MetaData(exists: exists, valueLength: length, hashAlgorithm: algorithm, hashValue: hash)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeBoolean(exists)
        writer.writeUInt32(valueLength)
        writer.writeUInt8(hashAlgorithm.rawValue)
        try writer.writeOpaque(hashValue, lengthWidth: 1, "MetaData.hash_value")
    }
}
