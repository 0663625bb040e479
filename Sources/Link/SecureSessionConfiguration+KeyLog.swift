import CMbedTLS

// NSS key log lines from mbedTLS's key export callback (MBEDTLS_SSL_EXPORT_KEYS). The callback
// is registered per configuration, not per session, so lines wait here until the session
// whose mbedTLS call produced them collects them, right after that call returns.
extension SecureSessionConfiguration {
    func configureKeyLog() {
        mbedtls_ssl_conf_export_keys_ext_cb(
            context, SecureSessionConfiguration.exportKeysCallback, Unmanaged.passUnretained(self).toOpaque())
    }

    /// mbedtls_ssl_export_keys_ext_t: called once per handshake when the master secret is known.
    static let exportKeysCallback: @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, Int, Int, Int,
        UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, mbedtls_tls_prf_types
    ) -> Int32 = { context, masterSecret, _, _, _, _, clientRandom, _, _ in
        guard let context, let masterSecret, let clientRandom else { return 0 }
        let configuration = Unmanaged<SecureSessionConfiguration>.fromOpaque(context).takeUnretainedValue()
        let random = Array(UnsafeBufferPointer(start: clientRandom, count: LinkLimits.helloRandomBytes))
        let secret = Array(UnsafeBufferPointer(start: masterSecret, count: LinkLimits.masterSecretBytes))
        configuration.recordKeyLogLine(NSSKeyLog.line(clientRandom: random, masterSecret: secret))
        return 0
    }

    func recordKeyLogLine(_ line: String) {
        // Bounded: one line per handshake is collected after each call, so this never fills
        // unless a caller stops collecting; then the oldest line goes.
        if pendingKeyLogLines.count >= LinkLimits.pendingKeyLogLines { pendingKeyLogLines.removeFirst() }
        pendingKeyLogLines.append(line)
    }

    func takeKeyLogLines() -> [String] {
        if pendingKeyLogLines.isEmpty { return [] }
        let lines = pendingKeyLogLines
        pendingKeyLogLines.removeAll(keepingCapacity: true)
        return lines
    }
}
