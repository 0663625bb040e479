import CMbedTLS
import Wire

// The calls the owner makes. Each stores `now`, lets mbedTLS run until it wants more input,
// and returns what to do.
extension SecureSession {
    /// Starts the handshake: a client's first flight (ClientHello). A server sends nothing
    /// until the client's first bytes arrive.
    public func start(now: Instant) -> [SecureSessionAction] {
        self.now = now
        var actions: [SecureSessionAction] = []
        if state.isActive { drive(into: &actions) }
        return actions
    }

    /// Feeds one incoming datagram (DTLS) or the next chunk of the stream (TLS).
    public func receive(_ bytes: [UInt8], now: Instant) -> [SecureSessionAction] {
        self.now = now
        var actions: [SecureSessionAction] = []
        guard state.isActive else {
            counters.inputAfterEnd += 1
            return actions
        }
        if configuration.transport == .datagram {
            // Cheap before dear: an oversized datagram, or one that is not whole records,
            // never reaches mbedTLS.
            guard bytes.count <= LinkLimits.maximumDatagramBytes else {
                counters.datagramsDropped += 1
                return actions
            }
            guard DatagramRecords.areWhole(bytes) else {
                counters.datagramsMalformed += 1
                return actions
            }
            guard inbound.push(bytes) else {
                counters.datagramsDropped += 1
                return actions
            }
            drive(into: &actions)
            return actions
        }
        // Stream: take as much as the bounded buffer holds, let mbedTLS consume, repeat.
        var offset = 0
        while offset < bytes.count && state.isActive {
            let room = min(bytes.count - offset, inbound.freeBytes)
            guard room > 0, inbound.push(bytes[offset..<(offset + room)]) else {
                fail(.transportOverflow, into: &actions)
                break
            }
            offset += room
            drive(into: &actions)
        }
        return actions
    }

    /// Encrypts `plaintext` for the peer: one DTLS record (at most `maximumPlaintextPerSend`
    /// bytes), or as many TLS records as needed. Throws only for caller errors.
    public func send(_ plaintext: [UInt8], now: Instant) throws(LinkError) -> [SecureSessionAction] {
        self.now = now
        guard state == .established else { throw .notEstablished }
        let limit = maximumPlaintextPerSend
        guard plaintext.count <= limit else { throw .plaintextTooLarge(length: plaintext.count, limit: limit) }
        var actions: [SecureSessionAction] = []
        var offset = 0
        var resumptions = 0
        while offset < plaintext.count && state == .established {
            let chunk = min(plaintext.count - offset, LinkLimits.maximumPlaintextRecordBytes)
            let code = plaintext.withUnsafeBufferPointer { mbedtls_ssl_write(context, $0.baseAddress! + offset, chunk) }
            if code > 0 {
                offset += Int(code)
            } else if code == MBEDTLS_ERR_SSL_WANT_WRITE && resumptions < LinkLimits.maximumWriteResumptions {
                resumptions += 1
            } else {
                fail(code == MBEDTLS_ERR_SSL_WANT_WRITE ? .transportOverflow : LinkError.fromSession(code: code, context: context),
                     into: &actions)
            }
            flushOutbound(into: &actions)
        }
        return actions
    }

    /// Lets timers run: retransmits a DTLS flight whose timer expired (RFC 6347 §4.2.4) and
    /// fails a handshake past its total time. Call at `nextDeadline`; earlier is harmless.
    public func tick(now: Instant) -> [SecureSessionAction] {
        self.now = now
        var actions: [SecureSessionAction] = []
        if state.isActive { drive(into: &actions) }
        return actions
    }

    /// Sends close_notify (RFC 5246 §7.2.1) if established and ends the session.
    public func close(now: Instant) -> [SecureSessionAction] {
        self.now = now
        var actions: [SecureSessionAction] = []
        guard state.isActive else { return actions }
        if state == .established { _ = mbedtls_ssl_close_notify(context) }
        flushOutbound(into: &actions)
        end(.closed)
        actions.append(.closed)
        return actions
    }
}
