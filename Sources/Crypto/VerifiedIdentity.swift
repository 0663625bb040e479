/// A certificate that IdentityVerifier accepted: who it is and until when.
public struct VerifiedIdentity {
    /// The Node-IDs the holder may use (RFC 6940 §11.3, §11.3.1).
    public let nodeIds: [[UInt8]]
    /// The user name (the certificate's rfc822Name).
    public let userName: String
    /// The certified key, parsed once, for checking the holder's message signatures (§6.3.4).
    public let publicKey: PublicKey
    /// True for a self-signed identity (§11.3.1), false for one enrolled with the overlay CA.
    public let isSelfSigned: Bool
    /// The window in which the whole chain is valid (latest notBefore, earliest notAfter).
    public let notBefore: CertificateTime
    public let notAfter: CertificateTime
    /// SHA-256 of the end-entity certificate's DER: the cache key, and a handle for logs.
    public let certificateHash: [UInt8]
}
