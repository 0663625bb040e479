import Wire

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

    /// Whose identity this is, for limits per user (the routing table's Sybil limit, RFC 6940
    /// §13.6.1-§13.6.2; request and Store budgets): the user name the overlay's CA certified;
    /// for a self-signed certificate (§11.3.1), whose user name anyone may choose, "key:" and
    /// the SHA-256 of its key in hex.
    public var owner: String {
        guard isSelfSigned else { return userName }
        let key = (try? publicKey.derEncoded()).map { SHA256.hash($0) } ?? certificateHash
        return "key:" + Hex.encode(key)
    }
}
