import CMbedTLS

// Link configures TLS/DTLS with our identity key (mbedtls_ssl_conf_own_cert), which takes the
// mbedtls_pk_context itself. `package` keeps the C type out of the public API.
extension PrivateKey {
    /// The key's mbedtls_pk_context. Valid while this key lives: whoever stores it must keep a
    /// reference to the key.
    package var mbedtlsContext: UnsafeMutablePointer<mbedtls_pk_context> { context }
}
