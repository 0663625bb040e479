import CMbedTLS

/// Owner of one mbedtls_x509_crt list holding several certificates, in order: what
/// mbedtls_x509_crt_verify takes as the chain to check (leaf first) or as the trusted roots.
final class CertificateChain {
    let context: UnsafeMutablePointer<mbedtls_x509_crt>

    init(_ certificates: [Certificate]) throws(CryptoError) {
        context = .allocate(capacity: 1)
        mbedtls_x509_crt_init(context)
        for certificate in certificates {
            let der = certificate.der
            let code = der.withUnsafeBufferPointer { mbedtls_x509_crt_parse_der(context, $0.baseAddress, $0.count) }
            try check(code, "mbedtls_x509_crt_parse_der (chain)")
        }
    }

    deinit {
        mbedtls_x509_crt_free(context)
        context.deallocate()
    }
}
