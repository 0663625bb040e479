import CMbedTLS

/// What was wrong with a peer's certificate chain: mbedTLS's verification flags
/// (MBEDTLS_X509_BADCERT_* and MBEDTLS_X509_BADCRL_*), named.
public struct CertificateProblems: OptionSet, Equatable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// notAfter has passed (RFC 5280 §4.1.2.5).
    public static let expired = CertificateProblems(rawValue: UInt32(MBEDTLS_X509_BADCERT_EXPIRED))
    /// notBefore has not come yet.
    public static let notYetValid = CertificateProblems(rawValue: UInt32(MBEDTLS_X509_BADCERT_FUTURE))
    /// Listed in the revocation list.
    public static let revoked = CertificateProblems(rawValue: UInt32(MBEDTLS_X509_BADCERT_REVOKED))
    /// Does not chain to any trust anchor (another CA, or self-signed).
    public static let notTrusted = CertificateProblems(rawValue: UInt32(MBEDTLS_X509_BADCERT_NOT_TRUSTED))
    /// The name asked for (server name of an HTTPS client) is not in the certificate.
    public static let nameMismatch = CertificateProblems(rawValue: UInt32(MBEDTLS_X509_BADCERT_CN_MISMATCH))
    /// Key usage or extended key usage does not allow this use.
    public static let usageNotAllowed = CertificateProblems(
        rawValue: UInt32(MBEDTLS_X509_BADCERT_KEY_USAGE) | UInt32(MBEDTLS_X509_BADCERT_EXT_KEY_USAGE))
    /// Signature hash, key algorithm or key size outside the accepted profile.
    public static let weakAlgorithm = CertificateProblems(
        rawValue: UInt32(MBEDTLS_X509_BADCERT_BAD_MD) | UInt32(MBEDTLS_X509_BADCERT_BAD_PK)
            | UInt32(MBEDTLS_X509_BADCERT_BAD_KEY))
    /// The revocation list itself is not signed by a trust anchor, or out of date.
    public static let revocationListUnusable = CertificateProblems(
        rawValue: UInt32(MBEDTLS_X509_BADCRL_NOT_TRUSTED) | UInt32(MBEDTLS_X509_BADCRL_EXPIRED)
            | UInt32(MBEDTLS_X509_BADCRL_FUTURE))

    static let named: [(CertificateProblems, String)] = [
        (.expired, "expired"), (.notYetValid, "not yet valid"), (.revoked, "revoked"),
        (.notTrusted, "not trusted"), (.nameMismatch, "name mismatch"), (.usageNotAllowed, "usage not allowed"),
        (.weakAlgorithm, "weak algorithm"), (.revocationListUnusable, "revocation list unusable"),
    ]

    /// "expired, not trusted"; unnamed flags in hex.
    public var description: String {
        var parts: [String] = []
        var rest = rawValue
        for (problem, name) in CertificateProblems.named where !isDisjoint(with: problem) {
            parts.append(name)
            rest &= ~problem.rawValue
        }
        if rest != 0 { parts.append("flags 0x\(LinkError.hex(Int32(bitPattern: rest)))") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
