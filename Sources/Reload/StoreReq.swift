import Wire

/// §7.4.1.1 StoreReq: resource ResourceId ‖ replica_number u8 (0 = original store) ‖
/// StoreKindData kind_data<0..2^32-1>.
public struct StoreReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StoreReq"
    public var resource: ResourceId
    public var replicaNumber: UInt8
    public var kindData: [StoreKindData]

    public init(resource: ResourceId, replicaNumber: UInt8 = 0, kindData: [StoreKindData]) {
        self.resource = resource
        self.replicaNumber = replicaNumber
        self.kindData = kindData
    }

    /// §7.4.1.2: the kinds whose data model this node does not know, for Error_Unknown_Kind.
    public var unknownKinds: [KindId] {
        return kindData.compactMap { data in data.values.values == nil ? data.kind : nil }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StoreReq {
        let resource = try ResourceId.decode(from: &reader, configuration)
        let replica = try reader.readUInt8("StoreReq.replica_number")
        let kindData: [StoreKindData] = try reader.readList(
            4, countLimit: ReloadLimits.kindsPerMessage, "StoreReq.kind_data", configuration)
        return StoreReq(resource: resource, replicaNumber: replica, kindData: kindData)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try resource.encode(to: &writer)
        writer.writeUInt8(replicaNumber)
        try writer.writeList(kindData, 4, countLimit: ReloadLimits.kindsPerMessage, "StoreReq.kind_data")
    }
}
