import CMbedTLS

// Running mbedTLS: the handshake, reading records, and moving the outbound queue into actions.
extension SecureSession {
    func drive(into actions: inout [SecureSessionAction]) {
        if state == .handshaking && now >= handshakeDeadline {
            fail(.handshakeTimeout, into: &actions)
            return
        }
        if state == .handshaking { advanceHandshake(into: &actions) }
        if state == .established { readRecords(into: &actions) }
        flushOutbound(into: &actions)
    }

    /// Runs mbedtls_ssl_handshake until it wants input; returns its last code (the listener
    /// looks for MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED).
    @discardableResult
    func advanceHandshake(into actions: inout [SecureSessionAction]) -> Int32 {
        var code = mbedtls_ssl_handshake(context)
        var resumptions = 0
        while code == MBEDTLS_ERR_SSL_WANT_WRITE && resumptions < LinkLimits.maximumWriteResumptions {
            flushOutbound(into: &actions)
            resumptions += 1
            code = mbedtls_ssl_handshake(context)
        }
        for line in configuration.takeKeyLogLines() { actions.append(.keyLogLine(line)) }
        switch code {
        case 0:
            completeHandshake(into: &actions)
        case MBEDTLS_ERR_SSL_WANT_READ, MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED:
            break
        case MBEDTLS_ERR_SSL_WANT_WRITE:
            fail(.transportOverflow, into: &actions)
        default:
            let error = certificateRefusal.map { LinkError.certificateRefused($0) } ?? LinkError.fromSession(code: code, context: context)
            fail(error, into: &actions)
        }
        return code
    }

    func completeHandshake(into actions: inout [SecureSessionAction]) {
        // RFC 6940 §6.6.1: the endpoint must be authenticated. mbedTLS asked for the peer's
        // certificate; in the deferred-trust mode it lets the handshake end without one.
        // A server that did not ask (Trust.notRequested) completes with an empty chain.
        guard let chain = readPeerChain() ?? unrequestedPeerChain() else {
            fail(.peerCertificateMissing, into: &actions)
            return
        }
        peerCertificates = chain
        state = .established
        releaseHalfOpenSlot()
        actions.append(.handshakeCompleted(chain))
    }

    func readPeerChain() -> PeerCertificateChain? {
        guard let first = mbedtls_ssl_get_peer_cert(context) else { return nil }
        let certificates = SecureSession.certificatesDER(from: first)
        if certificates.isEmpty { return nil }
        let verified = configuration.verifiesPeerAgainstAnchors && mbedtls_ssl_get_verify_result(context) == 0
        return PeerCertificateChain(certificates: certificates, verifiedByTrustAnchors: verified, cipherSuite: cipherSuiteName)
    }

    /// The DER of `first` and the certificates after it in mbedTLS's list (the chain the peer
    /// sent), at most LinkLimits.maximumPeerChainCertificates.
    static func certificatesDER(from first: UnsafePointer<mbedtls_x509_crt>) -> [[UInt8]] {
        var node = first
        var certificates: [[UInt8]] = []
        while certificates.count < LinkLimits.maximumPeerChainCertificates {
            let raw = node.pointee.raw
            if let start = raw.p, raw.len > 0 { certificates.append(Array(UnsafeBufferPointer(start: start, count: raw.len))) }
            guard let next = node.pointee.next else { break }
            node = UnsafePointer(next)
        }
        return certificates
    }

    func unrequestedPeerChain() -> PeerCertificateChain? {
        guard !configuration.requestsPeerCertificate else { return nil }
        return PeerCertificateChain(certificates: [], verifiedByTrustAnchors: false, cipherSuite: cipherSuiteName)
    }

    var cipherSuiteName: String {
        guard let name = mbedtls_ssl_get_ciphersuite(context) else { return "" }
        var bytes: [UInt8] = []
        var index = 0
        while index < 128, name[index] != 0 {
            bytes.append(UInt8(bitPattern: name[index]))
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads every record mbedTLS can decrypt from what has arrived. Replayed and forged DTLS
    /// records are discarded inside mbedtls_ssl_read (RFC 6347 §4.1.2.6, §4.1.2.7). A
    /// ClientHello arriving on an established DTLS server session (RFC 6347 §4.2.8) gets a
    /// HelloVerifyRequest and is dropped; only one with a valid cookie, which proves the sender
    /// receives at the peer's address, ends the session (`.peerReconnected`), so a forged
    /// source address cannot tear a link down.
    func readRecords(into actions: inout [SecureSessionAction]) {
        let buffer = configuration.readBuffer
        for _ in 0..<LinkLimits.maximumRecordsPerCall {
            let code = mbedtls_ssl_read(context, buffer, LinkLimits.maximumPlaintextRecordBytes)
            if code > 0 {
                actions.append(.plaintext(Array(UnsafeBufferPointer(start: buffer, count: Int(code)))))
            } else if code == MBEDTLS_ERR_SSL_WANT_WRITE {
                flushOutbound(into: &actions)
            } else if code == MBEDTLS_ERR_SSL_WANT_READ {
                return
            } else if code == 0 || code == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY {
                flushOutbound(into: &actions)
                end(.closed)
                actions.append(.closed)
                return
            } else {
                fail(LinkError.fromSession(code: code, context: context), into: &actions)
                return
            }
        }
    }

    func flushOutbound(into actions: inout [SecureSessionAction]) {
        let chunks = outbound.takeAll()
        if chunks.isEmpty { return }
        if configuration.transport == .datagram {
            for datagram in chunks { actions.append(.transmit(datagram)) }
        } else {
            actions.append(.transmit(chunks.count == 1 ? chunks[0] : Array(chunks.joined())))
        }
    }

    /// Ends the session with `error`; an alert mbedTLS wrote goes out first.
    func fail(_ error: LinkError, into actions: inout [SecureSessionAction]) {
        flushOutbound(into: &actions)
        end(.failed(error))
        actions.append(.failed(error))
    }

    func end(_ final: SecureSessionState) {
        precondition(!final.isActive)
        state = final
        timer.cancel()
        inbound.removeAll()
        if case .failed(.handshakeTimeout) = final { halfOpenSlot?.countExpired() }
        releaseHalfOpenSlot()
    }

    func releaseHalfOpenSlot() {
        halfOpenSlot?.release(halfOpenSlotNumber)
        halfOpenSlot = nil
    }
}
