import Wire

/// §7.4.3.2 StatAns: StatKindResponse kind_responses<0..2^32-1>.
public struct StatAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StatAns"
    public var kindResponses: [StatKindResponse]

    public init(kindResponses: [StatKindResponse]) {
        self.kindResponses = kindResponses
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StatAns {
        return StatAns(
            kindResponses: try reader.readList(
                4, countLimit: ReloadLimits.kindsPerMessage, "StatAns.kind_responses", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(kindResponses, 4, countLimit: ReloadLimits.kindsPerMessage, "StatAns.kind_responses")
    }
}
