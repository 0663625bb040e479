import CMbedTLS

// mbedTLS's I/O and timer callbacks, pointed at the session's in-memory queues and stored
// `now`. They run only inside the session's own mbedTLS calls, so the unretained pointer to
// the session is valid whenever they run.
extension SecureSession {
    func installCallbacks() {
        let me = Unmanaged.passUnretained(self).toOpaque()
        mbedtls_ssl_set_bio(context, me, SecureSession.sendCallback, SecureSession.receiveCallback, nil)
        if configuration.transport == .datagram {
            mbedtls_ssl_set_timer_cb(context, me, SecureSession.setTimerCallback, SecureSession.getTimerCallback)
            mbedtls_ssl_set_mtu(context, configuration.datagramMTU)
        }
        installVerifyCallback()
    }

    /// mbedtls_ssl_send_t: append to the outbound queue. A datagram goes whole or not at all;
    /// stream bytes go as far as there is room. No room: WANT_WRITE, and the session empties
    /// the queue into actions and lets mbedTLS resume.
    static let sendCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int) -> Int32 = {
        context, data, length in
        guard let context, let data else { return MBEDTLS_ERR_SSL_INTERNAL_ERROR }
        let session = Unmanaged<SecureSession>.fromOpaque(context).takeUnretainedValue()
        return session.transportSend(UnsafeBufferPointer(start: data, count: length))
    }

    /// mbedtls_ssl_recv_t: one datagram, or the next stream bytes; WANT_READ when empty.
    static let receiveCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int32 = {
        context, buffer, capacity in
        guard let context, let buffer else { return MBEDTLS_ERR_SSL_INTERNAL_ERROR }
        let session = Unmanaged<SecureSession>.fromOpaque(context).takeUnretainedValue()
        guard let count = session.inbound.read(into: buffer, capacity: min(capacity, Int(Int32.max))) else {
            return MBEDTLS_ERR_SSL_WANT_READ
        }
        return Int32(count)
    }

    static let setTimerCallback: @convention(c) (UnsafeMutableRawPointer?, UInt32, UInt32) -> Void = {
        context, intermediate, final in
        guard let context else { return }
        let session = Unmanaged<SecureSession>.fromOpaque(context).takeUnretainedValue()
        session.timer.set(now: session.now, intermediateMilliseconds: intermediate, finalMilliseconds: final)
        session.timerExpiryCounted = false
    }

    static let getTimerCallback: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
        guard let context else { return -1 }
        let session = Unmanaged<SecureSession>.fromOpaque(context).takeUnretainedValue()
        let status = session.timer.status(now: session.now)
        if status == 2 && !session.timerExpiryCounted {
            session.timerExpiryCounted = true
            session.counters.retransmissionTimeouts += 1
        }
        return status
    }

    func transportSend(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        // mbedTLS returns the count as an int: a length beyond it cannot be reported (64-bit only).
        guard let length = Int32(exactly: bytes.count) else { return MBEDTLS_ERR_SSL_BAD_INPUT_DATA }
        if configuration.transport == .datagram {
            return outbound.push(bytes) ? length : MBEDTLS_ERR_SSL_WANT_WRITE
        }
        let room = min(bytes.count, outbound.freeBytes)
        guard room > 0, outbound.push(bytes[0..<room]) else { return MBEDTLS_ERR_SSL_WANT_WRITE }
        return Int32(room)
    }
}
