import CMbedTLS

// Link checks peer chains against a CRL during TLS/DTLS handshakes (mbedtls_ssl_conf_ca_chain
// takes the mbedtls_x509_crl itself). `package` keeps the C type out of the public API.
extension RevocationList {
    /// The list's mbedtls_x509_crl. Valid while this list lives: whoever stores it must keep a
    /// reference to the list.
    package var mbedtlsContext: UnsafeMutablePointer<mbedtls_x509_crl> { context }
}
