import Wire

/// §6.5.1.1 OverlayLinkType, registry §14.10: DTLS-UDP-SR(1), DTLS-UDP-SR-NO-ICE(3),
/// TLS-TCP-FH-NO-ICE(4), EXP-LINK(5). 0 is invalid; future values are kept.
public struct OverlayLinkType: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "OverlayLinkType"
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        precondition(rawValue != 0, "invalidOverlayLinkType")
        self.rawValue = rawValue
    }

    public static let dtlsUdpSr = OverlayLinkType(rawValue: 1)
    public static let dtlsUdpSrNoIce = OverlayLinkType(rawValue: 3)
    public static let tlsTcpFhNoIce = OverlayLinkType(rawValue: 4)
    public static let expLink = OverlayLinkType(rawValue: 5)

    /// §6.5.1.1: No-ICE link protocols say so in their name.
    public var isNoIce: Bool { rawValue == 3 || rawValue == 4 }

    public var name: String {
        switch rawValue {
        case 1: return "DTLS-UDP-SR"
        case 3: return "DTLS-UDP-SR-NO-ICE"
        case 4: return "TLS-TCP-FH-NO-ICE"
        case 5: return "EXP-LINK"
        default: return "unknown"
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> OverlayLinkType {
        let start = reader.offset
        let value = try reader.readUInt8("IceCandidate.overlay_link")
        try reader.require(value != 0, "IceCandidate.overlay_link", at: start, 0)
        return OverlayLinkType(rawValue: value)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(rawValue)
    }
}
