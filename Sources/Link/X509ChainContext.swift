import CMbedTLS

/// Owner of an mbedtls_x509_crt list (our chain, or the trust anchors): mbedTLS's TLS
/// configuration points into it, so it lives as long as the configuration that uses it.
/// Built from DER so that Crypto's `Certificate` stays the one public certificate type.
final class X509ChainContext {
    let context: UnsafeMutablePointer<mbedtls_x509_crt>
    let count: Int

    init(der certificates: [[UInt8]], limit: Int, what: String) throws(LinkError) {
        context = .allocate(capacity: 1)
        mbedtls_x509_crt_init(context)
        count = certificates.count
        guard !certificates.isEmpty else { throw .invalidConfiguration("no certificate in \(what)") }
        guard certificates.count <= limit else {
            throw .invalidConfiguration("\(certificates.count) certificates in \(what) (limit \(limit))")
        }
        for der in certificates {
            let code = der.withUnsafeBufferPointer { mbedtls_x509_crt_parse_der(context, $0.baseAddress, $0.count) }
            if code != 0 { throw .library(operation: "mbedtls_x509_crt_parse_der (\(what))", code: code) }
        }
    }

    deinit {
        mbedtls_x509_crt_free(context)
        context.deallocate()
    }

    /// True when `key` is the private half of the first certificate's public key.
    func matches(privateKey key: UnsafeMutablePointer<mbedtls_pk_context>) -> Bool {
        return mbedtls_pk_check_pair(&context.pointee.pk, key) == 0
    }
}
