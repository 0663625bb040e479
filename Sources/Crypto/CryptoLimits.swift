/// Limits of the identity code of Crypto (CSR, issuing, CRL, verification, password hashes), in
/// one place. Spec constants are apart from our own implementation limits; CryptoLimitsTests
/// checks the relations between them.
public enum CryptoLimits {
    // MARK: Spec constants

    /// RFC 6940 §11.1: node-id-length is between 16 and 20 bytes.
    public static let nodeIdLengthRange = 16...20
    /// RFC 5280 §4.1.2.2: a serial number is at most 20 octets.
    public static let maximumSerialNumberBytes = 20
    /// RFC 6940 §6.3.2.2: the Destination type of a node (Destination List entry).
    public static let destinationTypeNode: UInt8 = 1

    // MARK: Implementation limits

    /// The largest CSR we parse (a P-256 CSR is about 250 bytes, an RSA-4096 one about 1.7 KB).
    public static let maximumCSRBytes = 4096
    /// Attributes (type and value pairs, over all RDNs) of a CSR's subject that we read; an
    /// OpenSSL default subject has 7 (C, ST, L, O, OU, CN, emailAddress).
    public static let maximumSubjectAttributes = 16
    /// The largest CRL we parse or write: 8192 entries of about 40 bytes each, plus headers.
    public static let maximumRevocationListBytes = 512 * 1024
    public static let maximumRevokedCertificates = 8192
    /// Node-IDs in one certificate (RFC 6940 §11.3 allows "one or more").
    public static let maximumNodeIdsPerCertificate = 16
    /// Characters of a user name (the rfc822Name of §11.3), and of an overlay name.
    public static let maximumUserNameBytes = 254
    public static let maximumOverlayNameBytes = 253
    /// Serial numbers we issue: 16 random bytes (top bit clear, so DER needs no padding byte).
    public static let issuedSerialNumberBytes = 16
    /// Certificates in a chain given to IdentityVerifier (leaf plus intermediates).
    public static let maximumChainLength = 4
    /// Verified certificates remembered by IdentityVerifier (see VerificationCache).
    public static let verificationCacheCapacity = 256
    /// PBKDF2 iteration counts a PasswordHash may carry: the floor keeps hashes slow, the
    /// ceiling keeps a hostile accounts file from stalling the server.
    public static let passwordIterationRange = 1_000...10_000_000
    /// The iteration count for new password hashes.
    public static let defaultPasswordIterations = 200_000
    public static let passwordSaltBytes = 16
    public static let passwordHashBytes = 32
    public static let maximumPasswordBytes = 1024
    /// Proof-of-work difficulty (leading zero bits of SHA-256) a policy may ask for.
    public static let maximumWorkBits = 40
    /// Scratch space for DER we build (SubjectAltName, CRL).
    static let certificateBufferBytes = 8192
}
