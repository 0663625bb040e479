import CMbedTLS
import Wire

// What DatagramListener needs of its shared server context.
extension SecureSession {
    /// Makes the context new for the next ClientHello, bound to `clientId` (the address the
    /// cookie is computed over); an empty id only clears the previous one.
    func resetForListener(clientId: [UInt8], now: Instant) throws(LinkError) {
        precondition(halfOpenSlot == nil, "only the listener's shared context is reset")
        let code = mbedtls_ssl_session_reset(context)
        if code != 0 { throw .library(operation: "mbedtls_ssl_session_reset", code: code) }
        inbound.removeAll()
        outbound.removeAll()
        timer.cancel()
        state = .handshaking
        counters = SecureSessionCounters()
        peerCertificates = nil
        self.now = now
        handshakeDeadline = now.adding(milliseconds: configuration.timeouts.totalMilliseconds)
        mbedtls_ssl_set_mtu(context, configuration.datagramMTU)
        installVerifyCallback()
        certificateRefusal = nil
        expectedNodeId = nil
        if clientId.isEmpty { return }
        let set = clientId.withUnsafeBufferPointer { mbedtls_ssl_set_client_transport_id(context, $0.baseAddress, $0.count) }
        if set != 0 { throw .library(operation: "mbedtls_ssl_set_client_transport_id", code: set) }
    }

    static func transmissions(in actions: [SecureSessionAction]) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        for action in actions {
            if case .transmit(let bytes) = action { datagrams.append(bytes) }
        }
        return datagrams
    }
}
