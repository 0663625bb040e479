import Crypto

// Which identity and trust combinations a configuration accepts, and the mbedTLS contexts of
// our chain and the trust anchors (owned by Crypto's CertificateChain and RevocationList). Peers on overlay links always authenticate both ways (RFC 6940 §6.6.1);
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

    /// The anchors and revocation list for `trust` (Crypto's owners of the mbedTLS contexts),
    /// whether mbedTLS verifies the peer against them, and whether the peer is asked for a
    /// certificate.
    static func trustContexts(
        _ trust: Trust
    ) throws(LinkError) -> (CertificateChain?, RevocationList?, verifies: Bool, requests: Bool) {
        switch trust {
        case .anchors(let roots, let crl):
            let anchors = try chain(roots, limit: LinkLimits.maximumTrustAnchors, what: "trust anchors")
            let list = try crl.map { (der: [UInt8]) throws(LinkError) -> RevocationList in
                try revocationList(der)
            }
            return (anchors, list, true, true)
        case .deferredToOwner:
            return (nil, nil, false, true)
        case .notRequested:
            return (nil, nil, false, false)
        }
    }

    /// Our chain or the trust anchors as one mbedtls_x509_crt list, at most `limit` long.
    static func chain(_ certificates: [Certificate], limit: Int, what: String) throws(LinkError) -> CertificateChain {
        guard !certificates.isEmpty else { throw .invalidConfiguration("no certificate in \(what)") }
        guard certificates.count <= limit else {
            throw .invalidConfiguration("\(certificates.count) certificates in \(what) (limit \(limit))")
        }
        do throws(CryptoError) {
            return try CertificateChain(certificates)
        } catch {
            throw linkError(error, what: what)
        }
    }

    /// RFC 5280 §5: the CRL the handshake checks peer chains against (Crypto parses and bounds it).
    static func revocationList(_ der: [UInt8]) throws(LinkError) -> RevocationList {
        do throws(CryptoError) {
            return try RevocationList(der: der)
        } catch {
            throw linkError(error, what: "revocation list")
        }
    }

    /// mbedTLS failures keep their code; other refusals name what was refused.
    static func linkError(_ error: CryptoError, what: String) -> LinkError {
        if case .library(let operation, let code) = error {
            return .library(operation: "\(operation) (\(what))", code: code)
        }
        return .invalidConfiguration("\(what): \(error.description)")
    }
}
