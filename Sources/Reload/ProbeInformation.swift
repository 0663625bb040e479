import Wire

/// §6.4.2.5.2 ProbeInformation: type(1) ‖ length(1) ‖ value. The three defined types carry a
/// uint32 (length must be 4); other types are kept as bytes ("allows for unknown option types").
public enum ProbeInformation: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ProbeInformation"

    /// Parts per billion of the overlay this peer is responsible for.
    case responsibleSet(UInt32)
    case numResources(UInt32)
    /// Seconds.
    case uptime(UInt32)
    case unknown(type: ProbeInformationType, value: [UInt8])

    public var type: ProbeInformationType {
        switch self {
        case .responsibleSet: return .responsibleSet
        case .numResources: return .numResources
        case .uptime: return .uptime
        case .unknown(let type, _): return type
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ProbeInformation {
        let type = try ProbeInformationType.decode(from: &reader, configuration)
        let lengthOffset = reader.offset
        var value = try reader.readContainer(1, "ProbeInformation.length", configuration)
        if type.rawValue > 3 {
            return .unknown(type: type, value: try value.readBytes(value.remaining, "ProbeInformation.value"))
        }
        try value.require(value.remaining == 4, "ProbeInformation.length", at: lengthOffset, UInt64(value.remaining))
        let number = try value.readUInt32("ProbeInformationData")
        switch type.rawValue {
        case 1: return .responsibleSet(number)
        case 2: return .numResources(number)
        default: return .uptime(number)
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try type.encode(to: &writer)
        switch self {
        case .responsibleSet(let number), .numResources(let number), .uptime(let number):
            writer.writeUInt8(4)
            writer.writeUInt32(number)
        case .unknown(let type, let value):
            precondition(type.rawValue > 3, "a defined type must use its own case")
            try writer.writeOpaque(value, lengthWidth: 1, "ProbeInformation.length")
        }
    }
}
