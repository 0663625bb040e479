import CMbedTLS
import Wire

/// One parsed X.509 certificate (RFC 5280), owning its mbedTLS context.
public final class Certificate {
    let context: UnsafeMutablePointer<mbedtls_x509_crt>

    /// The largest certificate we parse: RELOAD certificates are small; this bounds memory
    /// spent on hostile input.
    public static let maximumDERBytes = 8192
    /// subjectAltName entries looked at (a certificate names a few Node-IDs and one user).
    public static let maximumSubjectAltNames = 64

    /// Parses exactly one DER certificate.
    public init(der: [UInt8]) throws(CryptoError) {
        context = .allocate(capacity: 1)
        mbedtls_x509_crt_init(context)
        guard der.count <= Certificate.maximumDERBytes else {
            throw .malformed("certificate of \(der.count) bytes (limit \(Certificate.maximumDERBytes))")
        }
        let code = der.withUnsafeBufferPointer { mbedtls_x509_crt_parse_der(context, $0.baseAddress, $0.count) }
        try check(code, "mbedtls_x509_crt_parse_der")
    }

    deinit {
        mbedtls_x509_crt_free(context)
        context.deallocate()
    }

    /// Every certificate in a PEM text ("CERTIFICATE" blocks), in order.
    public static func parseAllPEM(_ text: [UInt8]) throws(CryptoError) -> [Certificate] {
        var certificates: [Certificate] = []
        for der in try PEM.decodeAll(text, label: "CERTIFICATE") {
            certificates.append(try Certificate(der: der))
        }
        if certificates.isEmpty { throw .malformed("no CERTIFICATE block in PEM text") }
        return certificates
    }

    /// One certificate from PEM or DER bytes (the first block of a PEM text).
    public static func parse(_ encoded: [UInt8]) throws(CryptoError) -> Certificate {
        if PEM.looksLikePEM(encoded) { return try parseAllPEM(encoded)[0] }
        return try Certificate(der: encoded)
    }

    public var der: [UInt8] { bytes(context.pointee.raw) }
    /// The signed part (TBSCertificate), e.g. for hashing or re-verification.
    public var toBeSigned: [UInt8] { bytes(context.pointee.tbs) }
    public var serialNumber: [UInt8] { bytes(context.pointee.serial) }
    public var version: Int { Int(context.pointee.version) }
    public var notBefore: CertificateTime { CertificateTime(context.pointee.valid_from) }
    public var notAfter: CertificateTime { CertificateTime(context.pointee.valid_to) }
    public var isCertificateAuthority: Bool { context.pointee.ca_istrue != 0 }

    /// "CN=alice, O=example" as mbedTLS prints distinguished names.
    public var subject: String { distinguishedName(&context.pointee.subject) }
    public var issuer: String { distinguishedName(&context.pointee.issuer) }

    /// The certified public key.
    public func publicKey() throws(CryptoError) -> PublicKey {
        return try PublicKey(encoded: publicKeyDER())
    }

    public func publicKeyDER() throws(CryptoError) -> [UInt8] {
        return try writeAtEnd(capacity: 2048, "mbedtls_pk_write_pubkey_der") { buffer, size in
            mbedtls_pk_write_pubkey_der(&context.pointee.pk, buffer, size)
        }
    }

    /// uniformResourceIdentifier entries of subjectAltName (RFC 6940 §11.3 puts the Node-IDs
    /// there as reload:// URIs).
    public var uniformResourceIdentifiers: [String] { subjectAltNames(tag: 6) }
    /// rfc822Name entries of subjectAltName (RFC 6940 §11.3: the user name).
    public var rfc822Names: [String] { subjectAltNames(tag: 1) }

    func subjectAltNames(tag: UInt8) -> [String] {
        let wanted = Int32(MBEDTLS_ASN1_CONTEXT_SPECIFIC) | Int32(tag)
        var names: [String] = []
        var node: mbedtls_x509_sequence? = context.pointee.subject_alt_names
        var visited = 0
        while let current = node, visited < Certificate.maximumSubjectAltNames {
            if current.buf.p != nil && current.buf.tag == wanted {
                names.append(String(decoding: bytes(current.buf), as: UTF8.self))
            }
            node = current.next?.pointee
            visited += 1
        }
        return names
    }

    func bytes(_ buffer: mbedtls_x509_buf) -> [UInt8] {
        guard let start = buffer.p, buffer.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: buffer.len))
    }

    func distinguishedName(_ name: UnsafeMutablePointer<mbedtls_x509_name>) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let written = buffer.withUnsafeMutableBufferPointer { mbedtls_x509_dn_gets($0.baseAddress, $0.count, name) }
        if written < 0 { return "" }
        return MbedTLS.string(fromNulTerminated: buffer)
    }
}
