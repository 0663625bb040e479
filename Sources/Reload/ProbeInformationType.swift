import Wire

/// §6.4.2.5.1 ProbeInformationType: responsible_set(1), num_resources(2), uptime(3); 0 is
/// invalid; other values may be defined later and are kept.
public struct ProbeInformationType: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "ProbeInformationType"
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        precondition(rawValue != 0, "invalidProbeInformationType")
        self.rawValue = rawValue
    }

    public static let responsibleSet = ProbeInformationType(rawValue: 1)
    public static let numResources = ProbeInformationType(rawValue: 2)
    public static let uptime = ProbeInformationType(rawValue: 3)

    public var name: String {
        switch rawValue {
        case 1: return "responsible_set"
        case 2: return "num_resources"
        case 3: return "uptime"
        default: return "unknown"
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ProbeInformationType {
        let start = reader.offset
        let value = try reader.readUInt8("ProbeInformationType")
        try reader.require(value != 0, "ProbeInformationType", at: start, 0)
        return ProbeInformationType(rawValue: value)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(rawValue)
    }
}
