import Crypto
import Reload
import Wire

// §6.3.4: the message signature covers Message.signatureInput(identity:) (overlay ‖
// transaction_id ‖ MessageContents ‖ SignerIdentity), hashed with SHA-256.
extension Message {
    /// Signs the message (ECDSA P-256, SHA-256) and sets its security block.
    public mutating func sign(
        key: PrivateKey, identity: SignerIdentity, certificates: [GenericCertificate], random: RandomGenerator
    ) throws(ReloadError) {
        let digest = try messageDigest(identity: identity)
        let signature = try Signature.make(sha256Digest: digest, identity: identity, key: key, random: random)
        securityBlock = SecurityBlock(certificates: certificates, signature: signature)
    }

    /// Verifies the security block's signature with the signer's public key (the caller finds
    /// the certificate, e.g. `securityBlock.certificate(for:)`, and checks it).
    public func verifySignature(publicKey: PublicKey) throws(ReloadError) {
        let signature = securityBlock.signature
        let digest = try messageDigest(identity: signature.identity)
        try signature.verify(sha256Digest: digest, publicKey: publicKey)
    }

    func messageDigest(identity: SignerIdentity) throws(ReloadError) -> [UInt8] {
        do throws(WireError) {
            return SHA256.hash(try signatureInput(identity: identity))
        } catch {
            throw .malformed(error)
        }
    }
}
