import Wire

/// §7.4.4.2 FindKindData: kind KindId ‖ closest ResourceId (0 if none is known).
public struct FindKindData: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FindKindData"
    public var kind: KindId
    public var closest: ResourceId

    public init(kind: KindId, closest: ResourceId) {
        self.kind = kind
        self.closest = closest
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FindKindData {
        let kind = try KindId.decode(from: &reader, configuration)
        return FindKindData(kind: kind, closest: try ResourceId.decode(from: &reader, configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try kind.encode(to: &writer)
        try closest.encode(to: &writer)
    }
}
