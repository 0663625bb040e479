import Crypto
import Reload

// §6.3.4: "All implementations MUST support RSASSA-PKCS1-v1_5 signatures with SHA-256
// hashes." p2psip signs with ECDSA P-256 and SHA-256 and verifies both.
extension Signature {
    /// Signs the SHA-256 `digest` of the signed bytes with `key` (ECDSA P-256).
    static func make(
        sha256Digest digest: [UInt8], identity: SignerIdentity, key: PrivateKey, random: RandomGenerator
    ) throws(ReloadError) -> Signature {
        do throws(CryptoError) {
            let value = try key.sign(sha256Digest: digest, using: random)
            return Signature(algorithm: .ecdsaSHA256, identity: identity, value: value)
        } catch {
            throw .signingFailed(error)
        }
    }

    /// Checks this signature over the SHA-256 `digest` with `publicKey`: the algorithm must be
    /// ECDSA or RSA (PKCS#1 v1.5) with SHA-256 and fit the key; the value must verify.
    func verify(sha256Digest digest: [UInt8], publicKey: PublicKey) throws(ReloadError) {
        guard algorithm.hash == .sha256 else {
            throw .unsupportedSignatureAlgorithm(hash: algorithm.hash.rawValue, signature: algorithm.signature.rawValue)
        }
        let fits: Bool
        switch publicKey.kind {
        case .ecdsaP256, .ecdsaOther: fits = algorithm.signature == .ecdsa
        case .rsa: fits = algorithm.signature == .rsa
        }
        if !fits {
            throw .unsupportedSignatureAlgorithm(hash: algorithm.hash.rawValue, signature: algorithm.signature.rawValue)
        }
        if !publicKey.isValidSignature(value, sha256Digest: digest) {
            throw .invalidSignature
        }
    }
}
