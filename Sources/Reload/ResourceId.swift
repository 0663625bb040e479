import Wire

/// §6.3.1.1: `typedef opaque ResourceId<0..2^8-1>`, a variable-length Resource-ID; "FOO" is
/// encoded 03 46 4f 4f.
public struct ResourceId: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "ResourceId"
    public let bytes: [UInt8]

    /// Nil when longer than 255 bytes.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count <= ReloadConstants.maxResourceIdBytes else { return nil }
        self.bytes = Array(bytes)
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ResourceId {
        let bytes = try reader.readOpaque(lengthWidth: 1, limit: ReloadConstants.maxResourceIdBytes, "ResourceId")
        return ResourceId(checked: bytes)
    }

    init(checked bytes: [UInt8]) {
        precondition(bytes.count <= ReloadConstants.maxResourceIdBytes)
        self.bytes = bytes
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(bytes, lengthWidth: 1, "ResourceId")
    }
}
