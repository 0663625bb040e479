import Crypto

// Which identity and trust combinations a configuration accepts, and the mbedTLS contexts of
// the trust anchors. Peers on overlay links always authenticate both ways (RFC 6940 §6.6.1);
// the HTTPS enrollment exchange (RFC 6940 §11.3) is the one place where one side has no
// certificate: the client enrolls to get one, so the server does not ask for it and the
// client, having none, only checks the server.
extension SecureSessionConfiguration {
    static func checkCombination(role: Role, transport: Transport, hasIdentity: Bool, trust: Trust) throws(LinkError) {
        if case .notRequested = trust, role != .server || transport != .stream {
            throw .invalidConfiguration("only a TLS (stream) server may leave the peer's certificate unrequested")
        }
        guard !hasIdentity else { return }
        guard role == .client, transport == .stream, case .anchors = trust else {
            throw .invalidConfiguration("only a TLS (stream) client that checks the server against trust anchors may have no certificate")
        }
    }

    /// The anchors and revocation list contexts for `trust`, whether mbedTLS verifies the
    /// peer against them, and whether the peer is asked for a certificate.
    static func trustContexts(
        _ trust: Trust
    ) throws(LinkError) -> (X509ChainContext?, X509RevocationListContext?, verifies: Bool, requests: Bool) {
        switch trust {
        case .anchors(let roots, let crl):
            let anchors = try X509ChainContext(
                der: roots.map { $0.der }, limit: LinkLimits.maximumTrustAnchors, what: "trust anchors")
            let list = try crl.map { (der: [UInt8]) throws(LinkError) -> X509RevocationListContext in
                try X509RevocationListContext(der: der)
            }
            return (anchors, list, true, true)
        case .deferredToOwner:
            return (nil, nil, false, true)
        case .notRequested:
            return (nil, nil, false, false)
        }
    }
}
