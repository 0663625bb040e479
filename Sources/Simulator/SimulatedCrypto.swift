import Crypto
import Wire

/// How simulated peers sign and verify. `.real`: P-256 keys and mbedTLS chain checks, as on a
/// board (tests, runs of up to a few hundred peers). `.simulated`: the same meaning at a
/// fraction of the cost, for runs of thousands of peers: a signature is a keyed hash that only
/// the holder of the identity's secret can make, bound to the signed bytes, so forged and
/// altered values still fail; a certificate is trusted only when the simulated CA issued it
/// (its register), and revocation still goes through real CRLs. Real crypto counts its
/// operations in the process's `CryptoOperations.counted`, simulated crypto in its register;
/// the simulator charges them at the calibrated cost of the real ones. This code is host-only: no board binary has these subclasses.
public enum SimulatedCryptoMode: Equatable, Sendable {
    case real
    case simulated
}

/// What the simulated CA issued: for each certificate (by SHA-256 of its DER) the secret its
/// holder signs with. Shared by every simulated verifier of one run.
final class SimulatedRegister {
    var secrets: [[UInt8]: [UInt8]] = [:]
    /// The operations of this run's simulated keys and verifiers (not the process's
    /// `CryptoOperations.counted`, which other simulations in the same process share).
    var operations = CryptoOperations()
    /// The SubjectPublicKeyInfo every simulated certificate carries (a real P-256 key: the
    /// certificates themselves stay ordinary X.509 that every parser of the Node reads).
    let templatePublicKey: [UInt8]
    let templatePrivateKey: [UInt8]

    init(template: PrivateKey) throws(CryptoError) {
        templatePublicKey = try template.publicKeyDER()
        templatePrivateKey = try template.derEncoded()
    }
}

/// The signature of the simulation: 32 bytes of SHA-256(secret ‖ digest), padded to 71 bytes,
/// the usual length of a DER ECDSA P-256 signature, so that messages keep their real sizes.
enum SimulatedSignature {
    static let length = 71

    static func value(secret: [UInt8], digest: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(secret)
        hasher.update(digest)
        return hasher.finalize() + [UInt8](repeating: 0, count: length - SHA256.digestLength)
    }
}

/// A simulated identity's key: signs with its secret.
final class SimulatedPrivateKey: PrivateKey {
    let secret: [UInt8]
    let register: SimulatedRegister

    init(secret: [UInt8], register: SimulatedRegister) throws(CryptoError) {
        self.secret = secret
        self.register = register
        try super.init(encoded: register.templatePrivateKey)
    }

    override func sign(sha256Digest digest: [UInt8], using random: RandomGenerator) throws(CryptoError) -> [UInt8] {
        register.operations.signatures &+= 1
        return SimulatedSignature.value(secret: secret, digest: digest)
    }
}

/// The certified key of a simulated identity: a signature is valid only if made with its secret
/// over exactly these bytes.
final class SimulatedPublicKey: PublicKey {
    let secret: [UInt8]
    let register: SimulatedRegister

    init(secret: [UInt8], register: SimulatedRegister) throws(CryptoError) {
        self.secret = secret
        self.register = register
        try super.init(encoded: register.templatePublicKey)
    }

    override func isValidSignature(_ signature: [UInt8], sha256Digest digest: [UInt8]) -> Bool {
        guard digest.count == SHA256.digestLength else { return false }
        register.operations.verifications &+= 1
        return signature == SimulatedSignature.value(secret: secret, digest: digest)
    }
}

/// The IdentityVerifier of a simulated peer: the chain check is a look-up in the CA's register
/// (a certificate it did not issue is "not trusted", as mbedTLS would say of a forged one);
/// validity, revocation (real CRLs), bad nodes, Node-ID binding and the cache are the real code.
final class SimulatedVerifier: IdentityVerifier {
    let register: SimulatedRegister

    init(register: SimulatedRegister, overlay: String, root: Certificate) throws(CryptoError) {
        self.register = register
        try super.init(overlayName: overlay, nodeIdLength: 16, roots: [root], selfSigned: nil)
    }

    /// MBEDTLS_X509_BADCERT_NOT_TRUSTED.
    static let notTrustedFlag: UInt32 = 0x08

    override func verifyChain(
        _ chain: [Certificate], now: CertificateTime
    ) throws(CryptoError) -> (notBefore: CertificateTime, notAfter: CertificateTime) {
        register.operations.chainVerifications &+= UInt64(chain.count)
        guard chain.count == 1, let leaf = chain.first, register.secrets[SHA256.hash(leaf.der)] != nil else {
            throw .rejected(.notTrusted(flags: SimulatedVerifier.notTrustedFlag))
        }
        if now < leaf.notBefore { throw .rejected(.notYetValid) }
        if leaf.notAfter < now { throw .rejected(.expired) }
        return (leaf.notBefore, leaf.notAfter)
    }

    override func certifiedKey(of leaf: Certificate) throws(CryptoError) -> PublicKey {
        guard let secret = register.secrets[SHA256.hash(leaf.der)] else {
            throw .rejected(.notTrusted(flags: SimulatedVerifier.notTrustedFlag))
        }
        return try SimulatedPublicKey(secret: secret, register: register)
    }
}
