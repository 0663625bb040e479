import Config
import Crypto
import Reload
import Signing
import Wire

/// The signatures of an overlay configuration document (RFC 6940 §11.1): each
/// `<configuration>` element, and each `<kind>` element of its kind-blocks, "treated as a
/// binary blob" and signed with a RELOAD SecurityBlock (§6.3.4), base64 in the `<signature>`
/// (`<kind-signature>`) element that follows it.
///
/// Who may sign: the configuration names its signers by Node-ID (configuration-signer,
/// kind-signer), so the signer is an identity of the overlay, a certificate with Node-IDs
/// issued by the root; its certificate travels in the SecurityBlock. A receiver trusts the
/// root out of band (`p2psip enroll --root-cert`), verifies the signer's certificate against
/// it (IdentityVerifier: chain, validity, revocation), requires one of its Node-IDs to be a
/// listed signer, and checks the signature over the exact bytes. "Any configuration file MUST
/// be signed by one of the configuration-signer elements from the previous extant
/// configuration": on first contact there is none, so the list of the document itself counts,
/// which is safe only because its signer must chain to the root the user trusts.
public enum ConfigurationSignature {
    /// The `<signature>` content for `bytes`, signed by the holder of `key` and `certificate`
    /// (an overlay identity with one Node-ID; SignerIdentity cert_hash).
    public static func sign(
        _ bytes: [UInt8], key: PrivateKey, certificate: Certificate, using random: RandomGenerator
    ) throws(EnrollmentError) -> DetachedSignature {
        let der = certificate.der
        do throws(ReloadError) {
            let block = try SecurityBlock.signing(
                bytes, key: key, identity: .certHash(certificateDER: der), certificates: [GenericCertificate(certificate: der)],
                random: random)
            return DetachedSignature(algorithm: nil, value: try encode(block))
        } catch {
            throw .signature("signing failed: \(error.description)")
        }
    }

    static func encode(_ block: SecurityBlock) throws(ReloadError) -> [UInt8] {
        do throws(WireError) {
            return try block.encoded()
        } catch {
            throw .malformed(error)
        }
    }

    /// Verifies one signature over `bytes`: a SecurityBlock whose signer certificate the
    /// verifier accepts and that holds one of the `signers` Node-IDs. Returns the signer.
    public static func verify(
        _ bytes: [UInt8], signature: DetachedSignature, signers: [[UInt8]], verifier: IdentityVerifier, now: CertificateTime
    ) throws(EnrollmentError) -> VerifiedIdentity {
        let block: SecurityBlock
        do throws(WireError) {
            block = try SecurityBlock.decode(
                bytes: signature.value, CodecConfiguration(maxMessageSize: ReloadLimits.maxMessageSizeCeiling))
        } catch {
            throw .signature("not a SecurityBlock: \(error.description)")
        }
        guard let der = block.certificate(for: block.signature.identity) else {
            throw .signature("the SecurityBlock holds no certificate for its signer identity")
        }
        let identity: VerifiedIdentity
        do throws(CryptoError) {
            identity = try verifier.verify(chain: [try Certificate(der: der)], now: now)
        } catch {
            throw .signature("signer certificate: \(error.description)")
        }
        guard identity.nodeIds.contains(where: { signers.contains($0) }) else {
            throw .signature("signer \(identity.userName) holds none of the listed signer Node-IDs")
        }
        do throws(ReloadError) {
            try block.verify(bytes, publicKey: identity.publicKey)
        } catch {
            throw .signature("does not verify over the signed bytes (\(error.description))")
        }
        return identity
    }
}
