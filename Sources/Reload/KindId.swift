import Wire

/// §6.5.4.1 `typedef uint32 KindId`, with the kinds p2psip knows from the IANA registry
/// (§14.6 and the usage RFCs).
public struct KindId: Hashable, Comparable, ReloadCodable, Sendable {
    public static let rfcName = "KindId"
    public var rawValue: UInt32

    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// RFC 7904 §7: SIP registrations (dictionary keyed by Node-ID).
    public static let sipRegistration = KindId(0x1)
    /// §9: TURN servers (single value).
    public static let turnService = KindId(0x2)
    /// §8: certificates stored under the Node-ID (array).
    public static let certificateByNode = KindId(0x3)
    /// RFC 8076 §9.2: ShaRe access control lists (array).
    public static let accessControlList = KindId(0x4)
    /// §8: certificates stored under the user name (array).
    public static let certificateByUser = KindId(0x10)
    /// RFC 7374 §10.3: ReDiR (dictionary).
    public static let redir = KindId(0x104)

    /// The IANA name, or nil for kinds we do not know by name.
    public var name: String? {
        switch rawValue {
        case 0x1: return "SIP-REGISTRATION"
        case 0x2: return "TURN-SERVICE"
        case 0x3: return "CERTIFICATE_BY_NODE"
        case 0x4: return "ACCESS-CONTROL-LIST"
        case 0x10: return "CERTIFICATE_BY_USER"
        case 0x104: return "REDIR"
        default: return nil
        }
    }

    public static func < (lhs: KindId, rhs: KindId) -> Bool { lhs.rawValue < rhs.rawValue }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> KindId {
        return KindId(try reader.readUInt32("KindId"))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt32(rawValue)
    }
}
