import CMbedTLS
import Wire

/// An X.509 v2 certificate revocation list (RFC 5280 §5) signed by the overlay root.
///
/// RFC 6940 §13.3 leaves revocation to the deployment ("RELOAD does not itself provide a
/// revocation/status mechanism"); the enrollment server publishes this CRL (GET /crl) and
/// IdentityVerifier refuses certificates on it. Parsing is mbedTLS's; the signature check is
/// ours (mbedtls_x509_crl_parse_der does not verify), as is writing (mbedTLS 2.28 has no CRL
/// writer; see RevocationList+Create.swift).
public final class RevocationList {
    let context: UnsafeMutablePointer<mbedtls_x509_crl>
    /// Revoked serial numbers without leading zero bytes, for lookup by hash. (Properties are
    /// `var` so that every one is set before the first throw: then deinit frees the context.)
    private(set) var revoked: Set<[UInt8]>
    public private(set) var revokedCertificates: [RevokedCertificate]
    /// RFC 5280 §5.2.3 cRLNumber without leading zero bytes, nil when absent
    /// (RevocationList+Number.swift).
    public private(set) var number: [UInt8]?

    /// Parses exactly one DER CRL (no signature check: see `verifySignature(issuer:)`).
    public init(der: [UInt8]) throws(CryptoError) {
        context = .allocate(capacity: 1)
        mbedtls_x509_crl_init(context)
        revoked = []
        revokedCertificates = []
        number = nil
        guard !der.isEmpty, der.count <= CryptoLimits.maximumRevocationListBytes else {
            throw .malformed("CRL of \(der.count) bytes (limit \(CryptoLimits.maximumRevocationListBytes))")
        }
        let code = der.withUnsafeBufferPointer { mbedtls_x509_crl_parse_der(context, $0.baseAddress, $0.count) }
        try check(code, "mbedtls_x509_crl_parse_der")
        guard context.pointee.raw.len == der.count else {
            throw .malformed("\(der.count - context.pointee.raw.len) bytes after the CRL")
        }
        let entries = try RevocationList.entries(of: context)
        revokedCertificates = entries
        revoked = Set(entries.map { RevocationList.normalized($0.serialNumber) })
        number = try RevocationList.number(inExtensions: bytes(context.pointee.crl_ext))
    }

    deinit {
        mbedtls_x509_crl_free(context)
        context.deallocate()
    }

    static func entries(of context: UnsafeMutablePointer<mbedtls_x509_crl>) throws(CryptoError) -> [RevokedCertificate] {
        var entries: [RevokedCertificate] = []
        var node: mbedtls_x509_crl_entry? = context.pointee.entry
        while let entry = node {
            if let start = entry.serial.p, entry.serial.len > 0 {
                guard entries.count < CryptoLimits.maximumRevokedCertificates else {
                    throw .malformed("CRL with more than \(CryptoLimits.maximumRevokedCertificates) entries")
                }
                let serial = Array(UnsafeBufferPointer(start: start, count: entry.serial.len))
                entries.append(RevokedCertificate(serialNumber: serial, revocationDate: CertificateTime(entry.revocation_date)))
            }
            node = entry.next?.pointee
        }
        return entries
    }

    /// A serial number as a number: leading zero bytes do not matter.
    static func normalized(_ serial: [UInt8]) -> [UInt8] {
        var slice = ArraySlice(serial)
        while slice.count > 1, slice.first == 0 { slice = slice.dropFirst() }
        return Array(slice)
    }

    public var der: [UInt8] { bytes(context.pointee.raw) }
    public var issuerRaw: [UInt8] { bytes(context.pointee.issuer_raw) }
    public var thisUpdate: CertificateTime { CertificateTime(context.pointee.this_update) }
    /// nil when the CRL has no nextUpdate (RFC 5280 requires one; mbedTLS leaves it zero).
    public var nextUpdate: CertificateTime? {
        let time = CertificateTime(context.pointee.next_update)
        return time.year == 0 ? nil : time
    }

    func bytes(_ buffer: mbedtls_x509_buf) -> [UInt8] {
        guard let start = buffer.p, buffer.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: buffer.len))
    }

    /// RFC 5280 §6.3.3 (f)-(g), the parts that matter for one root: the CRL was issued by
    /// `issuer` (same name), which may sign CRLs (keyUsage cRLSign), and its signature verifies
    /// with the issuer's key.
    public func verifySignature(issuer: Certificate) throws(CryptoError) {
        guard issuerRaw == issuer.subjectRaw else { throw .invalidSignature("CRL issued by another name") }
        guard mbedtls_x509_crt_check_key_usage(issuer.context, UInt32(MBEDTLS_X509_KU_CRL_SIGN)) == 0 else {
            throw .invalidSignature("CRL issuer may not sign CRLs (keyUsage)")
        }
        let list = context.pointee
        let digest = list.sig_md
        guard digest == MBEDTLS_MD_SHA256 || digest == MBEDTLS_MD_SHA384 || digest == MBEDTLS_MD_SHA512,
            let info = mbedtls_md_info_from_type(digest), let signedStart = list.tbs.p, let signature = list.sig.p
        else { throw .invalidSignature("CRL signed with an unaccepted digest") }
        var hash = [UInt8](repeating: 0, count: Int(mbedtls_md_get_size(info)))
        try check(hash.withUnsafeMutableBufferPointer { mbedtls_md(info, signedStart, list.tbs.len, $0.baseAddress) }, "mbedtls_md")
        let code = hash.withUnsafeBufferPointer {
            mbedtls_pk_verify_ext(
                list.sig_pk, list.sig_opts, &issuer.context.pointee.pk, digest, $0.baseAddress, $0.count, signature,
                list.sig.len)
        }
        if code != 0 { throw .invalidSignature("CRL signature does not verify") }
    }

    /// True when `serialNumber` is listed.
    public func isRevoked(serialNumber: [UInt8]) -> Bool {
        return revoked.contains(RevocationList.normalized(serialNumber))
    }

    /// True when `certificate` was issued by this CRL's issuer and its serial is listed.
    public func isRevoked(_ certificate: Certificate) -> Bool {
        return certificate.issuerRaw == issuerRaw && isRevoked(serialNumber: certificate.serialNumber)
    }
}
