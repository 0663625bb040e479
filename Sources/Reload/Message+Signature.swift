import Crypto
import Wire

// §6.3.4: the message signature is computed over
//     overlay || transaction_id || MessageContents || SignerIdentity
// with overlay and transaction_id from the forwarding header. Only the destination verifies,
// after reassembly; a message whose signature fails is dropped and never processed.
extension Message {
    /// The exact bytes that are signed for `identity`.
    public func signatureInput(identity: SignerIdentity) throws(WireError) -> [UInt8] {
        var writer = ByteWriter(capacity: 512)
        writer.writeUInt32(header.overlay)
        writer.writeUInt64(header.transactionId)
        try contents.encode(to: &writer)
        try identity.encode(to: &writer)
        return writer.bytes
    }

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
