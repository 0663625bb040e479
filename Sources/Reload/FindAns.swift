import Wire

/// §7.4.4.2 FindAns: FindKindData results<0..2^16-1>.
public struct FindAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FindAns"
    public var results: [FindKindData]

    public init(results: [FindKindData]) {
        self.results = results
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FindAns {
        return FindAns(
            results: try reader.readList(2, countLimit: ReloadLimits.kindsPerMessage, "FindAns.results", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(results, 2, countLimit: ReloadLimits.kindsPerMessage, "FindAns.results")
    }
}
