import CMbedTLS

/// An ECDSA P-256 private key: what every p2psip identity signs with (RFC 6940 §6.3.4 lets the
/// overlay choose; we sign with ecdsa + sha256 and verify RSA as well).
///
/// Open only for the host-only simulator's key, which signs with a cheap keyed hash of the same
/// meaning (see PublicKey); the board binary has no subclass.
open class PrivateKey {
    let context: UnsafeMutablePointer<mbedtls_pk_context>

    @usableFromInline init(owning context: UnsafeMutablePointer<mbedtls_pk_context>) {
        self.context = context
    }

    deinit {
        mbedtls_pk_free(context)
        context.deallocate()
    }

    /// A new random P-256 key.
    public static func generateP256(using random: RandomGenerator) throws(CryptoError) -> PrivateKey {
        let context = UnsafeMutablePointer<mbedtls_pk_context>.allocate(capacity: 1)
        mbedtls_pk_init(context)
        let key = PrivateKey(owning: context)
        try check(mbedtls_pk_setup(context, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "mbedtls_pk_setup")
        try check(
            mbedtls_ecp_gen_key(
                MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(context.pointee), random.randomFunction, random.randomContext),
            "mbedtls_ecp_gen_key")
        return key
    }

    /// Parses a private key: PEM (SEC1 "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY") or DER.
    /// Only P-256 keys are accepted: they are the only ones we sign with.
    public init(encoded: [UInt8]) throws(CryptoError) {
        let context = UnsafeMutablePointer<mbedtls_pk_context>.allocate(capacity: 1)
        mbedtls_pk_init(context)
        let input = PEM.looksLikePEM(encoded) ? encoded + [0] : encoded
        let code = input.withUnsafeBufferPointer { mbedtls_pk_parse_key(context, $0.baseAddress, $0.count, nil, 0) }
        self.context = context
        try check(code, "mbedtls_pk_parse_key")
        guard p2psip_pk_ec_group_id(context) == Int32(MBEDTLS_ECP_DP_SECP256R1.rawValue) else {
            throw .unsupportedKey("private key is not ECDSA P-256")
        }
    }

    /// A P-256 key from its 32-byte scalar (big-endian), for known-answer tests.
    public static func p256(scalar: [UInt8], using random: RandomGenerator) throws(CryptoError) -> PrivateKey {
        guard scalar.count == 32 else { throw .malformed("P-256 scalar of \(scalar.count) bytes") }
        let context = UnsafeMutablePointer<mbedtls_pk_context>.allocate(capacity: 1)
        mbedtls_pk_init(context)
        let key = PrivateKey(owning: context)
        try check(mbedtls_pk_setup(context, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "mbedtls_pk_setup")
        let keypair = mbedtls_pk_ec(context.pointee)!
        let code = scalar.withUnsafeBufferPointer {
            mbedtls_ecp_read_key(MBEDTLS_ECP_DP_SECP256R1, keypair, $0.baseAddress, $0.count)
        }
        try check(code, "mbedtls_ecp_read_key")
        // Q = d·G, so the key can also verify and export its public half.
        try check(p2psip_ecp_complete_public(keypair, random.randomFunction, random.randomContext), "mbedtls_ecp_mul")
        return key
    }

    /// The public half.
    public func publicKey() throws(CryptoError) -> PublicKey {
        return try PublicKey(encoded: publicKeyDER())
    }

    /// The DER SubjectPublicKeyInfo of the public half.
    public func publicKeyDER() throws(CryptoError) -> [UInt8] {
        return try writeAtEnd(capacity: 256, "mbedtls_pk_write_pubkey_der") { buffer, size in
            mbedtls_pk_write_pubkey_der(context, buffer, size)
        }
    }

    /// SEC1 DER ("EC PRIVATE KEY").
    public func derEncoded() throws(CryptoError) -> [UInt8] {
        return try writeAtEnd(capacity: 512, "mbedtls_pk_write_key_der") { buffer, size in
            mbedtls_pk_write_key_der(context, buffer, size)
        }
    }

    /// SEC1 PEM ("-----BEGIN EC PRIVATE KEY-----").
    public func pemEncoded() throws(CryptoError) -> [UInt8] {
        return PEM.encode(try derEncoded(), label: "EC PRIVATE KEY")
    }

    /// Signs a SHA-256 digest; returns the DER ECDSA-Sig-Value. Deterministic ECDSA
    /// (RFC 6979) as mbedTLS builds it; `random` blinds the computation.
    open func sign(sha256Digest digest: [UInt8], using random: RandomGenerator) throws(CryptoError) -> [UInt8] {
        precondition(digest.count == SHA256.digestLength)
        var signature = [UInt8](repeating: 0, count: PrivateKey.maximumSignatureBytes)
        var length = 0
        let code = digest.withUnsafeBufferPointer { hash in
            signature.withUnsafeMutableBufferPointer { output in
                mbedtls_pk_sign(
                    context, MBEDTLS_MD_SHA256, hash.baseAddress, hash.count, output.baseAddress, &length,
                    random.randomFunction, random.randomContext)
            }
        }
        CryptoOperations.counted.signatures &+= 1
        try check(code, "mbedtls_pk_sign")
        precondition(length > 0 && length <= signature.count)
        return Array(signature[0..<length])
    }

    /// Signs the SHA-256 of `message`.
    public func sign(message: [UInt8], using random: RandomGenerator) throws(CryptoError) -> [UInt8] {
        return try sign(sha256Digest: SHA256.hash(message), using: random)
    }

    /// A DER ECDSA-Sig-Value for P-256 is at most 72 bytes; mbedTLS wants room for its maximum.
    static let maximumSignatureBytes = 1024
}
