import Wire

/// §7.4.3.2 StatKindResponse: kind ‖ generation u64 ‖ StoredMetaData values<0..2^32-1>.
public struct StatKindResponse: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StatKindResponse"
    public var kind: KindId
    public var generation: UInt64
    public var values: KindValues<StoredMetaData>

    public init(kind: KindId, generation: UInt64, values: KindValues<StoredMetaData>) {
        self.kind = kind
        self.generation = generation
        self.values = values
    }

    public init(kind: KindId, generation: UInt64, values: [StoredMetaData]) {
        self.init(kind: kind, generation: generation, values: .known(values))
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StatKindResponse {
        let kind = try KindId.decode(from: &reader, configuration)
        let generation = try reader.readUInt64("StatKindResponse.generation")
        let values = try KindValues<StoredMetaData>.decode(
            kind: kind, from: &reader, "StatKindResponse.values", configuration)
        return StatKindResponse(kind: kind, generation: generation, values: values)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try kind.encode(to: &writer)
        writer.writeUInt64(generation)
        try values.encode(to: &writer, "StatKindResponse.values")
    }
}
