/// A TLS alert description (RFC 5246 §7.2), as received from a peer that ended the handshake.
public struct AlertDescription: RawRepresentable, Equatable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let handshakeFailure = AlertDescription(rawValue: 40)
    public static let badCertificate = AlertDescription(rawValue: 42)
    public static let certificateRevoked = AlertDescription(rawValue: 44)
    public static let certificateExpired = AlertDescription(rawValue: 45)
    public static let certificateUnknown = AlertDescription(rawValue: 46)
    public static let unknownCertificateAuthority = AlertDescription(rawValue: 48)
    public static let decryptError = AlertDescription(rawValue: 51)
    public static let protocolVersion = AlertDescription(rawValue: 70)
    public static let insufficientSecurity = AlertDescription(rawValue: 71)

    static let names: [(UInt8, String)] = [
        (40, "handshake_failure"), (42, "bad_certificate"), (44, "certificate_revoked"),
        (45, "certificate_expired"), (46, "certificate_unknown"), (48, "unknown_ca"),
        (51, "decrypt_error"), (70, "protocol_version"), (71, "insufficient_security"),
    ]

    /// "bad_certificate (42)".
    public var description: String {
        for (value, name) in AlertDescription.names where value == rawValue { return "\(name) (\(value))" }
        return "alert \(rawValue)"
    }
}
