import Wire

/// RFC 7904 §3.2 and §7: the value of a SIP-REGISTRATION dictionary entry (key = the storing
/// peer's Node-ID): type(1) ‖ length u16 ‖ select: sip_registration_uri(1) → uri<0..2^16-1>;
/// sip_registration_route(2) → contact_prefs<0..2^16-1> ‖ Destination
/// destination_list<3..2^16-1>. Other types are kept as bytes ("This type can be extended").
public enum SipRegistration: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "SipRegistration"

    case uri([UInt8])
    case route(contactPrefs: [UInt8], destinationList: [Destination])
    case unknown(type: UInt8, data: [UInt8])

    public var type: UInt8 {
        switch self {
        case .uri: return 1
        case .route: return 2
        case .unknown(let type, _): return type
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> SipRegistration {
        let start = reader.offset
        let type = try reader.readUInt8("SipRegistration.type")
        var data = try reader.readContainer(2, "SipRegistration.length", configuration)
        let registration: SipRegistration
        switch type {
        case 1:
            registration = .uri(try data.readOpaque(2, "SipRegistration.uri", configuration))
        case 2:
            let prefs = try data.readOpaque(2, "SipRegistration.contact_prefs", configuration)
            let listOffset = data.offset
            let destinations: [Destination] = try data.readList(
                2, countLimit: ReloadLimits.destinations, "SipRegistration.destination_list", configuration)
            // <3..2^16-1>: at least one full destination.
            let listBytes = data.offset - listOffset - 2
            try data.require(listBytes >= 3, "SipRegistration.destination_list", at: listOffset, UInt64(listBytes))
            registration = .route(contactPrefs: prefs, destinationList: destinations)
        case 0:
            throw .invalidValue(field: "SipRegistration.type", offset: start, value: 0)
        default:
            registration = .unknown(type: type, data: try data.readBytes(data.remaining, "SipRegistration.data"))
        }
        try data.expectEnd("SipRegistration.length")
        return registration
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(type)
        let mark = writer.beginContainer(lengthWidth: 2)
        switch self {
        case .uri(let uri):
            try writer.writeOpaque(uri, lengthWidth: 2, "SipRegistration.uri")
        case .route(let prefs, let destinations):
            try writer.writeOpaque(prefs, lengthWidth: 2, "SipRegistration.contact_prefs")
            let listStart = writer.count
            try writer.writeList(destinations, 2, countLimit: ReloadLimits.destinations, "SipRegistration.destination_list")
            if writer.count - listStart - 2 < 3 {
                throw .invalidValue(field: "SipRegistration.destination_list", offset: listStart, value: 0)
            }
        case .unknown(let type, let data):
            precondition(type > 2, "uri and route use their own cases")
            writer.writeBytes(data)
        }
        try writer.endContainer(mark, "SipRegistration.length")
    }
}
