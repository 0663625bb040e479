import Wire

/// §7.4.1.1 StoreKindData: kind KindId ‖ generation_counter u64 ‖ StoredData values<0..2^32-1>.
public struct StoreKindData: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StoreKindData"
    public var kind: KindId
    public var generationCounter: UInt64
    public var values: KindValues<StoredData>

    public init(kind: KindId, generationCounter: UInt64, values: KindValues<StoredData>) {
        self.kind = kind
        self.generationCounter = generationCounter
        self.values = values
    }

    public init(kind: KindId, generationCounter: UInt64, values: [StoredData]) {
        self.init(kind: kind, generationCounter: generationCounter, values: .known(values))
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StoreKindData {
        let kind = try KindId.decode(from: &reader, configuration)
        let generation = try reader.readUInt64("StoreKindData.generation_counter")
        let values = try KindValues<StoredData>.decode(kind: kind, from: &reader, "StoreKindData.values", configuration)
        return StoreKindData(kind: kind, generationCounter: generation, values: values)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try kind.encode(to: &writer)
        writer.writeUInt64(generationCounter)
        try values.encode(to: &writer, "StoreKindData.values")
    }
}
