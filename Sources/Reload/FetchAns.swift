import Wire

/// §7.4.2.2 FetchAns: FetchKindResponse kind_responses<0..2^32-1>.
public struct FetchAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FetchAns"
    public var kindResponses: [FetchKindResponse]

    public init(kindResponses: [FetchKindResponse]) {
        self.kindResponses = kindResponses
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FetchAns {
        return FetchAns(
            kindResponses: try reader.readList(
                4, countLimit: ReloadLimits.kindsPerMessage, "FetchAns.kind_responses", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(kindResponses, 4, countLimit: ReloadLimits.kindsPerMessage, "FetchAns.kind_responses")
    }
}
