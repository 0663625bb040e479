import CMbedTLS

/// A PKCS#10 certificate signing request (RFC 2986), as the enrollment client sends it in the
/// "csr" part of its POST (RFC 6940 §11.3, content type application/pkcs10).
///
/// Parsing always verifies the request's self-signature: mbedtls_x509_csr_parse only decodes,
/// so a CSR whose key never signed it (or whose bytes were changed) would otherwise pass. We
/// hash `certificationRequestInfo` with the signature's digest and check it with the request's
/// own public key, as RFC 2986 §3 intends (proof of possession of the private key).
public final class CertificateSigningRequest {
    let context: UnsafeMutablePointer<mbedtls_x509_csr>

    /// Parses one DER CSR and verifies its signature.
    public init(der: [UInt8]) throws(CryptoError) {
        context = .allocate(capacity: 1)
        mbedtls_x509_csr_init(context)
        guard !der.isEmpty, der.count <= CryptoLimits.maximumCSRBytes else {
            throw .malformed("CSR of \(der.count) bytes (limit \(CryptoLimits.maximumCSRBytes))")
        }
        let code = der.withUnsafeBufferPointer { mbedtls_x509_csr_parse_der(context, $0.baseAddress, $0.count) }
        try check(code, "mbedtls_x509_csr_parse_der")
        guard context.pointee.raw.len == der.count else {
            throw .malformed("\(der.count - context.pointee.raw.len) bytes after the CSR")
        }
        try verifySignature()
    }

    deinit {
        mbedtls_x509_csr_free(context)
        context.deallocate()
    }

    /// A CSR from DER, or from PEM ("CERTIFICATE REQUEST" or the older "NEW CERTIFICATE
    /// REQUEST" label): the first block.
    public static func parse(_ encoded: [UInt8]) throws(CryptoError) -> CertificateSigningRequest {
        guard encoded.count <= 2 * CryptoLimits.maximumCSRBytes else {
            throw .malformed("CSR text of \(encoded.count) bytes")
        }
        if !PEM.looksLikePEM(encoded) { return try CertificateSigningRequest(der: encoded) }
        for label in ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"] {
            if let der = try PEM.decodeAll(encoded, label: label).first {
                return try CertificateSigningRequest(der: der)
            }
        }
        throw .malformed("no CERTIFICATE REQUEST block in PEM text")
    }

    /// RFC 2986 §4.2: the signature covers the DER of certificationRequestInfo. Digests other
    /// than SHA-256/384/512 are refused (SHA-1 and MD5 are not proof of anything any more).
    func verifySignature() throws(CryptoError) {
        let request = context.pointee
        let digest = request.sig_md
        guard digest == MBEDTLS_MD_SHA256 || digest == MBEDTLS_MD_SHA384 || digest == MBEDTLS_MD_SHA512,
            let info = mbedtls_md_info_from_type(digest)
        else { throw .invalidSignature("CSR signed with an unaccepted digest") }
        guard let signedStart = request.cri.p, let signatureStart = request.sig.p, request.sig.len > 0 else {
            throw .malformed("CSR without signed part or signature")
        }
        var hash = [UInt8](repeating: 0, count: Int(mbedtls_md_get_size(info)))
        let hashCode = hash.withUnsafeMutableBufferPointer {
            mbedtls_md(info, signedStart, request.cri.len, $0.baseAddress)
        }
        try check(hashCode, "mbedtls_md")
        let code = hash.withUnsafeBufferPointer {
            mbedtls_pk_verify_ext(
                request.sig_pk, request.sig_opts, &context.pointee.pk, digest, $0.baseAddress, $0.count,
                signatureStart, request.sig.len)
        }
        if code != 0 { throw .invalidSignature("CSR self-signature does not verify") }
    }

    public var der: [UInt8] { bytes(context.pointee.raw) }

    /// The requested subject, as mbedTLS prints distinguished names ("CN=alice"); empty when
    /// the CSR names no subject. RFC 6940 §11.3 ignores it: the certificate's subject is empty.
    public var subject: String {
        var buffer = [CChar](repeating: 0, count: 512)
        let written = buffer.withUnsafeMutableBufferPointer {
            mbedtls_x509_dn_gets($0.baseAddress, $0.count, &context.pointee.subject)
        }
        if written < 0 { return "" }
        return MbedTLS.string(fromNulTerminated: buffer)
    }

    /// The DER SubjectPublicKeyInfo of the requested key.
    public func publicKeyDER() throws(CryptoError) -> [UInt8] {
        return try writeAtEnd(capacity: 2048, "mbedtls_pk_write_pubkey_der") { buffer, size in
            mbedtls_pk_write_pubkey_der(&context.pointee.pk, buffer, size)
        }
    }

    public func publicKey() throws(CryptoError) -> PublicKey {
        return try PublicKey(encoded: publicKeyDER())
    }

    func bytes(_ buffer: mbedtls_x509_buf) -> [UInt8] {
        guard let start = buffer.p, buffer.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: buffer.len))
    }

    /// A DER CSR for `key`, signed with ECDSA/SHA-256. `subject` is a distinguished name in
    /// mbedTLS's syntax ("CN=alice"); it may not be empty, because mbedTLS 2.28's CSR parser
    /// refuses an empty subject (the enrollment server ignores it anyway, RFC 6940 §11.3).
    public static func create(
        subject: String, key: PrivateKey, using random: RandomGenerator
    ) throws(CryptoError) -> [UInt8] {
        let writer = UnsafeMutablePointer<mbedtls_x509write_csr>.allocate(capacity: 1)
        mbedtls_x509write_csr_init(writer)
        defer {
            mbedtls_x509write_csr_free(writer)
            writer.deallocate()
        }
        guard !subject.isEmpty else {
            throw .malformed("a CSR needs a subject name (mbedTLS 2.28 cannot parse an empty one)")
        }
        mbedtls_x509write_csr_set_key(writer, key.context)
        mbedtls_x509write_csr_set_md_alg(writer, MBEDTLS_MD_SHA256)
        try check(mbedtls_x509write_csr_set_subject_name(writer, subject), "mbedtls_x509write_csr_set_subject_name")
        return try writeAtEnd(capacity: CryptoLimits.maximumCSRBytes, "mbedtls_x509write_csr_der") { buffer, size in
            mbedtls_x509write_csr_der(writer, buffer, size, random.randomFunction, random.randomContext)
        }
    }
}
