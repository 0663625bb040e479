import CMbedTLS

// Link hands this generator to mbedTLS's TLS/DTLS engine (mbedtls_ssl_conf_rng, the DTLS
// cookie key), which wants the raw f_rng/p_rng pair. `package` keeps the C types out of the
// public API: only modules of this package (Link) see them, callers outside never do.
extension RandomGenerator {
    /// mbedtls_ctr_drbg_random, for `f_rng` parameters.
    package var mbedtlsRandomFunction: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int32 {
        randomFunction
    }

    /// The mbedtls_ctr_drbg_context, for `p_rng` parameters. Valid while this generator lives:
    /// whoever stores it must keep a reference to the generator.
    package var mbedtlsRandomContext: UnsafeMutableRawPointer { randomContext }
}
