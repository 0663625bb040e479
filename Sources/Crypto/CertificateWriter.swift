import CMbedTLS
import Wire

/// Owner of one mbedtls_x509write_cert context: the X.509 v3 certificate builder behind
/// CertificateIssuer and SelfSignedIdentity. Always SHA-256, always version 3.
final class CertificateWriter {
    let context: UnsafeMutablePointer<mbedtls_x509write_cert>
    let serial: UnsafeMutablePointer<mbedtls_mpi>

    init() {
        context = .allocate(capacity: 1)
        mbedtls_x509write_crt_init(context)
        serial = .allocate(capacity: 1)
        mbedtls_mpi_init(serial)
        mbedtls_x509write_crt_set_version(context, MBEDTLS_X509_CRT_VERSION_3)
        mbedtls_x509write_crt_set_md_alg(context, MBEDTLS_MD_SHA256)
    }

    deinit {
        mbedtls_x509write_crt_free(context)
        context.deallocate()
        mbedtls_mpi_free(serial)
        serial.deallocate()
    }

    /// RFC 5280 §4.1.2.2: a positive integer of at most 20 octets.
    func setSerial(_ bytes: [UInt8]) throws(CryptoError) {
        guard !bytes.isEmpty, bytes.count <= CryptoLimits.maximumSerialNumberBytes, bytes.contains(where: { $0 != 0 })
        else { throw .malformed("serial number of \(bytes.count) bytes") }
        let code = bytes.withUnsafeBufferPointer { mbedtls_mpi_read_binary(serial, $0.baseAddress, $0.count) }
        try check(code, "mbedtls_mpi_read_binary")
        try check(mbedtls_x509write_crt_set_serial(context, serial), "mbedtls_x509write_crt_set_serial")
    }

    func setValidity(notBefore: CertificateTime, notAfter: CertificateTime) throws(CryptoError) {
        guard notBefore.isValid, notAfter.isValid, notBefore < notAfter else {
            throw .malformed("validity from \(notBefore.description) to \(notAfter.description)")
        }
        let code = mbedtls_x509write_crt_set_validity(
            context, notBefore.mbedTLSValidityString, notAfter.mbedTLSValidityString)
        try check(code, "mbedtls_x509write_crt_set_validity")
    }

    /// `subject` empty means an empty subject DN (RFC 6940 §11.3 requires it for node
    /// certificates); names are in mbedTLS's "CN=...,O=..." syntax.
    func setNames(subject: String, issuer: String) throws(CryptoError) {
        if !subject.isEmpty {
            try check(mbedtls_x509write_crt_set_subject_name(context, subject), "mbedtls_x509write_crt_set_subject_name")
        }
        try check(mbedtls_x509write_crt_set_issuer_name(context, issuer), "mbedtls_x509write_crt_set_issuer_name")
    }

    /// The certified key and the signing key (the same for a self-signed certificate). The
    /// contexts must outlive `der`.
    func setKeys(subject: UnsafeMutablePointer<mbedtls_pk_context>, issuer: UnsafeMutablePointer<mbedtls_pk_context>) {
        mbedtls_x509write_crt_set_subject_key(context, subject)
        mbedtls_x509write_crt_set_issuer_key(context, issuer)
    }

    /// basicConstraints (RFC 5280 §4.2.1.9), keyUsage (§4.2.1.3), and the key identifiers
    /// (§4.2.1.1, §4.2.1.2) that let verifiers pick the right issuer key.
    /// `pathLength` only for a CA: 0 (our roots) allows no intermediate CA below.
    func setUsage(certificateAuthority: Bool, keyUsage: Int32, pathLength: Int32 = 0) throws(CryptoError) {
        let pathLength: Int32 = certificateAuthority ? pathLength : -1
        try check(
            mbedtls_x509write_crt_set_basic_constraints(context, certificateAuthority ? 1 : 0, pathLength),
            "mbedtls_x509write_crt_set_basic_constraints")
        try check(mbedtls_x509write_crt_set_key_usage(context, UInt32(keyUsage)), "mbedtls_x509write_crt_set_key_usage")
        try check(mbedtls_x509write_crt_set_subject_key_identifier(context), "mbedtls_x509write_crt_set_subject_key_identifier")
        try check(
            mbedtls_x509write_crt_set_authority_key_identifier(context), "mbedtls_x509write_crt_set_authority_key_identifier")
    }

    func setExtension(oid: [UInt8], critical: Bool, value: [UInt8]) throws(CryptoError) {
        let code = oid.withUnsafeBufferPointer { oidBuffer in
            oidBuffer.withMemoryRebound(to: CChar.self) { oidChars in
                value.withUnsafeBufferPointer { valueBuffer in
                    mbedtls_x509write_crt_set_extension(
                        context, oidChars.baseAddress, oidChars.count, critical ? 1 : 0, valueBuffer.baseAddress,
                        valueBuffer.count)
                }
            }
        }
        try check(code, "mbedtls_x509write_crt_set_extension")
    }

    /// RFC 5280 §4.2.1.6: with an empty subject the subjectAltName extension is critical.
    func setSubjectAltNames(_ names: [SubjectAltName], critical: Bool) throws(CryptoError) {
        try setExtension(oid: KnownOID.subjectAltName, critical: critical, value: SubjectAltName.extensionValue(names))
    }

    /// Signs and encodes the certificate.
    func der(using random: RandomGenerator) throws(CryptoError) -> [UInt8] {
        return try writeAtEnd(capacity: CryptoLimits.certificateBufferBytes, "mbedtls_x509write_crt_der") { buffer, size in
            mbedtls_x509write_crt_der(context, buffer, size, random.randomFunction, random.randomContext)
        }
    }
}
