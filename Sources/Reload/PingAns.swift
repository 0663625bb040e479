import Wire

/// §6.5.3.2 PingAns: response_id u64 (random) ‖ time u64 (milliseconds since 1970, as
/// storage_time).
public struct PingAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "PingAns"
    public var responseId: UInt64
    public var time: UInt64

    public init(responseId: UInt64, time: UInt64) {
        self.responseId = responseId
        self.time = time
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> PingAns {
        let responseId = try reader.readUInt64("PingAns.response_id")
        let time = try reader.readUInt64("PingAns.time")
        return PingAns(responseId: responseId, time: time)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt64(responseId)
        writer.writeUInt64(time)
    }
}
