import CMbedTLS

/// A public key (ECDSA or RSA) as found in a certificate or a SubjectPublicKeyInfo.
/// Verifies signatures over SHA-256 digests: ECDSA with a DER-encoded ECDSA-Sig-Value, and
/// RSASSA-PKCS1-v1_5 (RFC 6940 §6.3.4 and §12: every implementation MUST verify the latter).
///
/// Open for one reason: the host-only simulator substitutes a key whose check is a cheap keyed
/// hash with the same meaning (binds signer and bytes), so that 10,000 simulated peers do not
/// spend their time in ECDSA; the board binary has no subclass.
open class PublicKey {
    public enum Kind: Equatable {
        case ecdsaP256
        case ecdsaOther
        case rsa(bits: Int)
    }

    let context: UnsafeMutablePointer<mbedtls_pk_context>

    /// Takes ownership of an initialised context that holds a key.
    @usableFromInline init(owning context: UnsafeMutablePointer<mbedtls_pk_context>) {
        self.context = context
    }

    /// Parses a DER SubjectPublicKeyInfo, or PEM ("-----BEGIN PUBLIC KEY-----").
    public init(encoded: [UInt8]) throws(CryptoError) {
        let context = UnsafeMutablePointer<mbedtls_pk_context>.allocate(capacity: 1)
        mbedtls_pk_init(context)
        // mbedTLS wants PEM NUL-terminated, with the terminator counted in the length.
        let input = PEM.looksLikePEM(encoded) ? encoded + [0] : encoded
        let code = input.withUnsafeBufferPointer { mbedtls_pk_parse_public_key(context, $0.baseAddress, $0.count) }
        if code != 0 {
            mbedtls_pk_free(context)
            context.deallocate()
            throw .library(operation: "mbedtls_pk_parse_public_key", code: code)
        }
        self.context = context
    }

    /// Parses exactly one DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), as a certificate or a
    /// CSR carries it: not PEM, not a bare PKCS#1 RSAPublicKey (both of which `init(encoded:)`
    /// takes), nothing after it.
    convenience init(subjectPublicKeyInfo der: [UInt8]) throws(CryptoError) {
        let context = UnsafeMutablePointer<mbedtls_pk_context>.allocate(capacity: 1)
        mbedtls_pk_init(context)
        var input = der
        // mbedtls_pk_parse_subpubkey refuses bytes after the structure (LENGTH_MISMATCH).
        let code = input.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let start = buffer.baseAddress else { return MBEDTLS_ERR_PK_KEY_INVALID_FORMAT }
            var cursor: UnsafeMutablePointer<UInt8>? = start
            return mbedtls_pk_parse_subpubkey(&cursor, start + buffer.count, context)
        }
        if code != 0 {
            mbedtls_pk_free(context)
            context.deallocate()
            throw .library(operation: "mbedtls_pk_parse_subpubkey", code: code)
        }
        self.init(owning: context)
    }

    deinit {
        mbedtls_pk_free(context)
        context.deallocate()
    }

    public var kind: Kind {
        switch mbedtls_pk_get_type(context) {
        case MBEDTLS_PK_ECKEY, MBEDTLS_PK_ECDSA:
            return p2psip_pk_ec_group_id(context) == Int32(MBEDTLS_ECP_DP_SECP256R1.rawValue)
                ? .ecdsaP256 : .ecdsaOther
        case MBEDTLS_PK_RSA:
            return .rsa(bits: Int(mbedtls_pk_get_bitlen(context)))
        default:
            return .ecdsaOther
        }
    }

    /// The DER SubjectPublicKeyInfo.
    public func derEncoded() throws(CryptoError) -> [UInt8] {
        return try writeAtEnd(capacity: 2048, "mbedtls_pk_write_pubkey_der") { buffer, size in
            mbedtls_pk_write_pubkey_der(context, buffer, size)
        }
    }

    /// True when `signature` is a valid signature by this key over the SHA-256 `digest`.
    /// Any failure (bad encoding, wrong key, wrong digest) is simply false: the caller decides
    /// what to answer; it never needs to tell these apart.
    open func isValidSignature(_ signature: [UInt8], sha256Digest digest: [UInt8]) -> Bool {
        guard digest.count == SHA256.digestLength, !signature.isEmpty,
            signature.count <= PublicKey.maximumSignatureBytes
        else { return false }
        CryptoOperations.counted.verifications &+= 1
        let code = digest.withUnsafeBufferPointer { hash in
            signature.withUnsafeBufferPointer { sig in
                mbedtls_pk_verify(context, MBEDTLS_MD_SHA256, hash.baseAddress, hash.count, sig.baseAddress, sig.count)
            }
        }
        return code == 0
    }

    /// RSA-4096 signatures are the largest we accept.
    public static let maximumSignatureBytes = 512
}

/// Calls an mbedTLS writer that fills a buffer from its end and returns the length written.
func writeAtEnd(
    capacity: Int, _ operation: String,
    _ body: (UnsafeMutablePointer<UInt8>, Int) -> Int32
) throws(CryptoError) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: capacity)
    let written = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    try check(written, operation)
    if written == 0 { throw .library(operation: operation, code: -1) }
    return Array(buffer[(capacity - Int(written))...])
}
