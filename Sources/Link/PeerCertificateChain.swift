/// The certificates a peer presented in its handshake, as DER, its own certificate first.
public struct PeerCertificateChain: Equatable {
    public let certificates: [[UInt8]]
    /// True when mbedTLS verified the chain against the configuration's trust anchors (and
    /// revocation list); false when the configuration defers trust to its owner.
    public let verifiedByTrustAnchors: Bool
    /// The negotiated cipher suite, e.g. "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256".
    public let cipherSuite: String

    /// `certificates` is empty only when the configuration did not ask the peer for one
    /// (`SecureSessionConfiguration.Trust.notRequested`).
    public init(certificates: [[UInt8]], verifiedByTrustAnchors: Bool, cipherSuite: String) {
        precondition(!certificates.isEmpty || !verifiedByTrustAnchors)
        self.certificates = certificates
        self.verifiedByTrustAnchors = verifiedByTrustAnchors
        self.cipherSuite = cipherSuite
    }

    /// The peer's own (leaf) certificate; empty when the peer was not asked for one.
    public var leaf: [UInt8] { certificates.first ?? [] }
}
