/// Why IdentityVerifier refused a certificate or a Node-ID claim (RFC 6940 §11.3, §11.3.1,
/// §13.3). The overlay answers all of them the same way (Error_Forbidden, closing the link);
/// the cases exist for logs, counters and tests.
public enum IdentityRejection: Equatable, Sendable {
    /// No certificate was given, or more than CryptoLimits.maximumChainLength.
    case chainLength(Int)
    /// The chain does not lead to a root-cert of the overlay (mbedTLS verification flags,
    /// MBEDTLS_X509_BADCERT_*: bad signature, unknown issuer, basic constraints, key usage,
    /// weak hash or key).
    case notTrusted(flags: UInt32)
    /// `now` is before notBefore of a certificate of the chain.
    case notYetValid
    /// `now` is after notAfter of a certificate of the chain.
    case expired
    /// The certificate's serial number is on the overlay's revocation list.
    case revoked
    /// A Node-ID of the certificate is on the configuration's bad-node list (§11.1).
    case badNode
    /// The end-entity certificate is a CA certificate (basicConstraints cA true).
    case authorityAsIdentity
    /// subjectAltName is not one or more reload URIs of this overlay plus one rfc822Name (§11.3).
    case malformedIdentity(String)
    /// The certificate's reload URIs name another overlay (§11.3: "reload://...@overlay/").
    case otherOverlay
    /// The claimed Node-ID is not one of the certificate's.
    case nodeIdNotInCertificate
    /// A self-signed certificate where the overlay does not permit them (§11.3.1).
    case selfSignedNotPermitted
    /// A self-signed certificate whose Node-IDs are not the digest of its key (§11.3.1).
    case selfSignedNodeIdMismatch
    /// A self-signed certificate whose self-signature does not verify.
    case selfSignedSignatureInvalid
    /// A self-signed certificate without enough proof of work (see ProofOfWork).
    case insufficientWork(required: Int, found: Int)

    public var description: String {
        switch self {
        case .chainLength(let count): return "certificate chain of \(count) certificates"
        case .notTrusted(let flags): return "does not chain to an overlay root (flags 0x\(hexFlags(flags)))"
        case .notYetValid: return "certificate not yet valid"
        case .expired: return "certificate expired"
        case .revoked: return "certificate revoked"
        case .badNode: return "Node-ID on the bad-node list"
        case .authorityAsIdentity: return "a CA certificate used as a node identity"
        case .malformedIdentity(let what): return "malformed identity: \(what)"
        case .otherOverlay: return "certificate of another overlay"
        case .nodeIdNotInCertificate: return "claimed Node-ID is not in the certificate"
        case .selfSignedNotPermitted: return "self-signed certificates are not permitted"
        case .selfSignedNodeIdMismatch: return "self-signed Node-ID does not match the public key"
        case .selfSignedSignatureInvalid: return "self-signed certificate signature invalid"
        case .insufficientWork(let required, let found):
            return "proof of work has \(found) leading zero bits, \(required) required"
        }
    }

    func hexFlags(_ flags: UInt32) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        var shift = 20
        while shift >= 0 {
            text.append(digits[Int((flags >> UInt32(shift)) & 0xF)])
            shift -= 4
        }
        return text
    }
}
