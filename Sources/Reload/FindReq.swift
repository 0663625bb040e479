import Wire

/// §7.4.4.1 FindReq: resource ResourceId ‖ KindId kinds<0..2^8-1>.
public struct FindReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FindReq"
    public var resource: ResourceId
    public var kinds: [KindId]

    public init(resource: ResourceId, kinds: [KindId]) {
        self.resource = resource
        self.kinds = kinds
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FindReq {
        let resource = try ResourceId.decode(from: &reader, configuration)
        let kinds: [KindId] = try reader.readList(1, countLimit: ReloadLimits.kindsPerMessage, "FindReq.kinds", configuration)
        return FindReq(resource: resource, kinds: kinds)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try resource.encode(to: &writer)
        try writer.writeList(kinds, 1, countLimit: ReloadLimits.kindsPerMessage, "FindReq.kinds")
    }
}
