import CMbedTLS
import Crypto
import Reload

/// The link authenticator's judgement (RFC 6940 §6.5.1.11) run inside the DTLS handshake, as
/// soon as the peer's Certificate message is parsed: a chain the overlay refuses (another CA,
/// revoked, a bad node, a self-signed certificate without the required work, the wrong
/// Node-ID for a link we opened) aborts the handshake with a fatal alert, before the server
/// computes the ECDH secret and verifies the client's CertificateVerify, and before a client
/// verifies the ServerKeyExchange and sends its own flight (RFC 5246 §7.3: the receiver of a
/// Certificate "MAY send a fatal alert" when it is unacceptable).
///
/// It calls `LinkAuthenticator.authenticate`, the same check the owner makes on
/// `.established`; an accepted chain is in the identity verifier's cache then, so the second
/// check costs a look-up. Certificate validity needs the wall clock, which only the owner
/// reads: until it hands one over (`now`), chains are left to the owner's check after the
/// handshake.
public final class HandshakeCertificateCheck {
    public let authenticator: LinkAuthenticator
    /// The wall-clock time of the call in progress, for certificate validity; set by the owner
    /// (`LinkManager.receive(_:from:now:certificateTime:)`).
    public var now: CertificateTime?

    public init(authenticator: LinkAuthenticator, now: CertificateTime? = nil) {
        self.authenticator = authenticator
        self.now = now
    }

    /// Nil when the chain is accepted (or there is no time yet to judge it by).
    func judge(_ chain: PeerCertificateChain, expected: NodeId?) -> LinkAuthenticationRefusal? {
        guard let now else { return nil }
        if case .failure(let refusal) = authenticator.authenticate(chain, expected: expected, now: now) { return refusal }
        return nil
    }

    /// The verification flag that makes mbedTLS send the fitting fatal alert (RFC 5246
    /// §7.2.2): unknown_ca for a chain to no root of ours, certificate_revoked,
    /// certificate_expired, access_denied for a Node-ID on the bad-node list (a valid
    /// certificate refused by access control), bad_certificate for the rest (mbedTLS sends it
    /// for a name mismatch: here the certificate's Node-IDs or overlay are not the ones asked
    /// for), certificate_unknown for one not yet valid.
    static func flags(for refusal: LinkAuthenticationRefusal) -> UInt32 {
        switch refusal {
        case .untrustedRoot: return UInt32(MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        case .revoked: return UInt32(MBEDTLS_X509_BADCERT_REVOKED)
        case .expired: return UInt32(MBEDTLS_X509_BADCERT_EXPIRED)
        case .notYetValid: return UInt32(MBEDTLS_X509_BADCERT_FUTURE)
        case .badNode: return UInt32(MBEDTLS_X509_BADCERT_OTHER)
        case .malformedCertificate, .wrongOverlay, .nodeIdMismatch, .noUsableNodeId, .unexpectedPeer, .identity:
            return UInt32(MBEDTLS_X509_BADCERT_CN_MISMATCH)
        }
    }
}
