import CMbedTLS

/// Owner of one mbedtls_x509_crt list holding several certificates, in order: what
/// mbedtls_x509_crt_verify takes as the chain to check (leaf first) or as the trusted roots,
/// and what Link's TLS configuration points at (our own chain, the trust anchors): mbedTLS
/// keeps pointers into it, so whoever configures TLS with it keeps a reference. `package`
/// keeps the C type out of the public API.
package final class CertificateChain {
    package let context: UnsafeMutablePointer<mbedtls_x509_crt>

    package init(_ certificates: [Certificate]) throws(CryptoError) {
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

    /// True when `key` is the private half of the first certificate's public key (RFC 5246
    /// §7.4.2: the certificate we send must be the one our key signs for).
    package func matches(privateKey key: PrivateKey) -> Bool {
        return mbedtls_pk_check_pair(&context.pointee.pk, key.context) == 0
    }
}
