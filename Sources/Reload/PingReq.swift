import Wire

/// §6.5.3.1 PingReq: opaque padding<0..2^16-1> (for path MTU discovery).
public struct PingReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "PingReq"
    public var padding: [UInt8]

    public init(padding: [UInt8] = []) {
        self.padding = padding
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> PingReq {
        return PingReq(padding: try reader.readOpaque(2, "PingReq.padding", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(padding, lengthWidth: 2, "PingReq.padding")
    }
}
