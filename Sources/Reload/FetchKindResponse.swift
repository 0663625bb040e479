import Wire

/// §7.4.2.2 FetchKindResponse: kind ‖ generation u64 ‖ StoredData values<0..2^32-1>.
public struct FetchKindResponse: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FetchKindResponse"
    public var kind: KindId
    public var generation: UInt64
    public var values: KindValues<StoredData>

    public init(kind: KindId, generation: UInt64, values: KindValues<StoredData>) {
        self.kind = kind
        self.generation = generation
        self.values = values
    }

    public init(kind: KindId, generation: UInt64, values: [StoredData]) {
        self.init(kind: kind, generation: generation, values: .known(values))
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FetchKindResponse {
        let kind = try KindId.decode(from: &reader, configuration)
        let generation = try reader.readUInt64("FetchKindResponse.generation")
        let values = try KindValues<StoredData>.decode(kind: kind, from: &reader, "FetchKindResponse.values", configuration)
        return FetchKindResponse(kind: kind, generation: generation, values: values)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try kind.encode(to: &writer)
        writer.writeUInt64(generation)
        try values.encode(to: &writer, "FetchKindResponse.values")
    }
}
