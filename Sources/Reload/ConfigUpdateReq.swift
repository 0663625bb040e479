import Wire

/// §6.5.4.1 ConfigUpdateReq: type(1) ‖ length u32 ‖ select(type): config(1) →
/// config_data opaque<0..2^24-1>; kind(2) → KindDescription kinds<0..2^24-1>, each
/// KindDescription opaque<0..2^16-1> (an XML kind-block). Other types are kept as bytes ("This
/// structure allows for unknown content types").
public enum ConfigUpdateReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ConfigUpdateReq"

    case config(configData: [UInt8])
    case kinds([[UInt8]])
    case unknown(type: UInt8, data: [UInt8])

    public var type: UInt8 {
        switch self {
        case .config: return 1
        case .kinds: return 2
        case .unknown(let type, _): return type
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ConfigUpdateReq {
        let start = reader.offset
        let type = try reader.readUInt8("ConfigUpdateReq.type")
        var rest = try reader.readContainer(4, "ConfigUpdateReq.length", configuration)
        let request: ConfigUpdateReq
        switch type {
        case 1:
            request = .config(configData: try rest.readOpaque(3, "ConfigUpdateReq.config_data", configuration))
        case 2:
            var list = try rest.readContainer(3, "ConfigUpdateReq.kinds", configuration)
            request = .kinds(
                try list.readOpaqueElements(
                    2, countLimit: ReloadLimits.kindDescriptions, "KindDescription", configuration))
        case 0:
            throw .invalidValue(field: "ConfigUpdateReq.type", offset: start, value: 0)
        default:
            request = .unknown(type: type, data: try rest.readBytes(rest.remaining, "ConfigUpdateReq.data"))
        }
        try rest.expectEnd("ConfigUpdateReq.length")
        return request
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(type)
        let mark = writer.beginContainer(lengthWidth: 4)
        switch self {
        case .config(let data):
            try writer.writeOpaque(data, lengthWidth: 3, "ConfigUpdateReq.config_data")
        case .kinds(let kinds):
            try writer.writeOpaqueList(kinds, 3, 2, countLimit: ReloadLimits.kindDescriptions, "ConfigUpdateReq.kinds")
        case .unknown(let type, let data):
            precondition(type > 2, "config and kind use their own cases")
            writer.writeBytes(data)
        }
        try writer.endContainer(mark, "ConfigUpdateReq.length")
    }
}
