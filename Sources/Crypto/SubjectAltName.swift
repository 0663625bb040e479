/// The GeneralNames of a subjectAltName extension (RFC 5280 §4.2.1.6) that p2psip writes:
/// reload URIs and the user name for node certificates (RFC 6940 §11.3), DNS names and
/// addresses for the enrollment server's TLS certificate.
///
///     GeneralName ::= CHOICE {
///          rfc822Name                      [1]     IA5String,
///          dNSName                         [2]     IA5String,
///          uniformResourceIdentifier       [6]     IA5String,
///          iPAddress                       [7]     OCTET STRING, ... }
public enum SubjectAltName: Equatable {
    case rfc822Name(String)
    case dnsName(String)
    case uniformResourceIdentifier(String)
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    case ipAddress([UInt8])

    /// The context-specific tag number of the CHOICE.
    public var tagNumber: UInt8 {
        switch self {
        case .rfc822Name: return 1
        case .dnsName: return 2
        case .uniformResourceIdentifier: return 6
        case .ipAddress: return 7
        }
    }

    var contents: [UInt8] {
        switch self {
        case .rfc822Name(let text), .dnsName(let text), .uniformResourceIdentifier(let text):
            return Array(text.utf8)
        case .ipAddress(let bytes):
            return bytes
        }
    }

    /// The extnValue contents: `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`.
    /// IA5String names must be printable ASCII; addresses 4 or 16 bytes.
    static func extensionValue(_ names: [SubjectAltName]) throws(CryptoError) -> [UInt8] {
        guard !names.isEmpty else { throw .malformed("subjectAltName without names") }
        let writer = ASN1Writer(capacity: CryptoLimits.certificateBufferBytes)
        let mark = writer.mark
        for name in names.reversed() {
            try name.validate()
            try writer.writePrimitive(tag: ASN1Writer.contextSpecific(name.tagNumber, constructed: false), name.contents)
        }
        try writer.wrap(tag: ASN1Writer.sequence, since: mark)
        return writer.bytes
    }

    func validate() throws(CryptoError) {
        switch self {
        case .ipAddress(let bytes):
            guard bytes.count == 4 || bytes.count == 16 else {
                throw .malformed("iPAddress of \(bytes.count) bytes")
            }
        case .rfc822Name(let text), .dnsName(let text), .uniformResourceIdentifier(let text):
            let bytes = Array(text.utf8)
            guard !bytes.isEmpty, bytes.count <= 1024, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw .malformed("subjectAltName \(tagNumber) is not printable ASCII without spaces")
            }
        }
    }
}
