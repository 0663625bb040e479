import CMbedTLS

/// Owner of a parsed certificate revocation list (RFC 5280 §5) that the TLS configuration
/// checks peer chains against.
final class X509RevocationListContext {
    let context: UnsafeMutablePointer<mbedtls_x509_crl>

    /// RELOAD enrollment servers publish one CRL; this bounds what we parse from a file.
    static let maximumDERBytes = 1_048_576

    init(der: [UInt8]) throws(LinkError) {
        context = .allocate(capacity: 1)
        mbedtls_x509_crl_init(context)
        guard der.count <= X509RevocationListContext.maximumDERBytes else {
            throw .invalidConfiguration("revocation list of \(der.count) bytes")
        }
        let code = der.withUnsafeBufferPointer { mbedtls_x509_crl_parse_der(context, $0.baseAddress, $0.count) }
        if code != 0 { throw .library(operation: "mbedtls_x509_crl_parse_der", code: code) }
    }

    deinit {
        mbedtls_x509_crl_free(context)
        context.deallocate()
    }
}
