import Crypto
import Reload

// RFC 6940 §11.1: a configuration element, and a kind element, is "a binary blob that MUST be
// signed using the standard SecurityBlock defined in Section 6.3.4", base64 in a <signature>
// (<kind-signature>) element. The RFC names no other input than the blob, so the signed bytes
// are exactly the blob, from its first "<" to its last ">" (unlike a message signature, which
// also covers overlay, transaction id and SignerIdentity, §6.3.4).
extension SecurityBlock {
    /// A security block whose signature (ECDSA P-256, SHA-256) covers `bytes`, naming the
    /// signer by `identity`, with `certificates` for the verifier.
    public static func signing(
        _ bytes: [UInt8], key: PrivateKey, identity: SignerIdentity, certificates: [GenericCertificate],
        random: RandomGenerator
    ) throws(ReloadError) -> SecurityBlock {
        let signature = try Signature.make(sha256Digest: SHA256.hash(bytes), identity: identity, key: key, random: random)
        return SecurityBlock(certificates: certificates, signature: signature)
    }

    /// Checks that this block's signature covers `bytes` and verifies with `publicKey` (the
    /// caller found the signer's certificate, e.g. with `certificate(for:)`, and checked it).
    public func verify(_ bytes: [UInt8], publicKey: PublicKey) throws(ReloadError) {
        try signature.verify(sha256Digest: SHA256.hash(bytes), publicKey: publicKey)
    }
}
