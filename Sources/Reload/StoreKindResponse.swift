import Wire

/// §7.4.1.2 StoreKindResponse: kind KindId ‖ generation_counter u64 ‖ NodeId replicas<0..2^16-1>.
public struct StoreKindResponse: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StoreKindResponse"
    public var kind: KindId
    public var generationCounter: UInt64
    public var replicas: [NodeId]

    public init(kind: KindId, generationCounter: UInt64, replicas: [NodeId]) {
        self.kind = kind
        self.generationCounter = generationCounter
        self.replicas = replicas
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StoreKindResponse {
        let kind = try KindId.decode(from: &reader, configuration)
        let generation = try reader.readUInt64("StoreKindResponse.generation_counter")
        let replicas: [NodeId] = try reader.readList(
            2, countLimit: ReloadLimits.nodeIds, "StoreKindResponse.replicas", configuration)
        return StoreKindResponse(kind: kind, generationCounter: generation, replicas: replicas)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try kind.encode(to: &writer)
        writer.writeUInt64(generationCounter)
        try writer.writeList(replicas, 2, countLimit: ReloadLimits.nodeIds, "StoreKindResponse.replicas")
    }
}
