import Crypto
import Reload

/// A SIP Address of Record as RFC 7904 uses it: the Resource Name of SIP-REGISTRATION.
///
/// RFC 7904 §2: "an AOR is considered not to include the scheme (e.g., sip:), as the AOR
/// needs to match the rfc822Name in the X.509 v3 certificates"; "SIP and SIPS are
/// distinguished in P2PSIP by the Application-ID". §7: "The Resource Name for the
/// SIP-REGISTRATION Kind-ID is the AOR of the user as specified in Section 2", and for
/// USER-NODE-MATCH "the 'sip:' prefix needs to be removed from the SIP AOR before matching.
/// Escaped characters ('%' encoding) in the SIP AOR also need to be decoded". (RFC 6940
/// §13.4's older example hashes "sip:alice@..." with the scheme; RFC 7904 is the SIP usage
/// and USER-NODE-MATCH can only hold without the scheme, so we follow RFC 7904.)
///
/// So the name is user "@" host: the user unescaped, the host in lower case (RFC 3261
/// §19.1.4), no port, no parameters and no headers (RFC 3261 §10.3 step 5 removes URI
/// parameters when a registrar canonicalizes the To URI). It must also be a user name a
/// certificate of ours can carry (Crypto's UserName), or no Store under it could succeed.
public struct AddressOfRecord: Equatable, Sendable {
    /// "alice@dht.example.org"
    public let resourceName: [UInt8]

    /// The AOR of a To (REGISTER) or Request-URI (INVITE). `field` names the header in errors.
    public init(uri: SIPURI, field: String = "To") throws(SIPError) {
        guard let user = uri.user else { throw .malformedHeader(field: field, reason: "address of record without a user") }
        guard uri.port == nil else { throw .malformedHeader(field: field, reason: "address of record with a port") }
        guard let unescaped = AddressOfRecord.unescape(user) else {
            throw .malformedHeader(field: field, reason: "bad escape in the user")
        }
        let name = unescaped + [UInt8(ascii: "@")] + uri.host
        guard UserName.isValid(String(decoding: name, as: UTF8.self)) else {
            throw .malformedHeader(field: field, reason: "address of record is not a certificate user name")
        }
        resourceName = name
    }

    /// The Resource-ID of the AOR: RFC 6940 §10.2 (CHORD-RELOAD) "The hash of a Resource-ID
    /// MUST be computed using SHA-1, and then the SHA-1 result MUST be truncated to the most
    /// significant 128 bits"; the length follows the overlay's node-id-length (§11.1, 16 to
    /// 20 bytes) so both sides of the ring agree.
    public func resourceId(nodeIdLength: Int = 16) -> ResourceId {
        precondition((16...SHA1.digestLength).contains(nodeIdLength), "RFC 6940 §11.1: node-id-length is 16 to 20")
        guard let identifier = ResourceId(bytes: SHA1.hash(resourceName).prefix(nodeIdLength)) else {
            preconditionFailure("a digest prefix is under 255 bytes")
        }
        return identifier
    }

    public var text: String { String(decoding: resourceName, as: UTF8.self) }

    /// RFC 3986 §2.1 percent-decoding; nil on a bad escape or an escaped NUL.
    static func unescape(_ text: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "%") else {
                output.append(text[index])
                index += 1
                continue
            }
            guard index + 2 < text.count, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]), high | low != 0 else {
                return nil
            }
            output.append(high << 4 | low)
            index += 3
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        if SIPCharacters.isDigit(byte) { return byte - 0x30 }
        let lower = SIPCharacters.lowercased(byte)
        return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : nil
    }
}
