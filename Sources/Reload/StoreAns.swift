import Wire

/// §7.4.1.2 StoreAns: StoreKindResponse kind_responses<0..2^16-1>.
public struct StoreAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StoreAns"
    public var kindResponses: [StoreKindResponse]

    public init(kindResponses: [StoreKindResponse]) {
        self.kindResponses = kindResponses
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StoreAns {
        return StoreAns(
            kindResponses: try reader.readList(
                2, countLimit: ReloadLimits.kindsPerMessage, "StoreAns.kind_responses", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(kindResponses, 2, countLimit: ReloadLimits.kindsPerMessage, "StoreAns.kind_responses")
    }
}
