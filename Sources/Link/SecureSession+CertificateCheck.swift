import CMbedTLS

// The verify callback every session installs. It judges only when the configuration checks
// peers inside the handshake (`SecureSessionConfiguration.checkPeersDuringHandshake`, which
// may come after sessions exist: the listener keeps one ready); otherwise it leaves mbedTLS's
// flags as they are. mbedTLS calls it from mbedtls_x509_crt_verify while it parses the peer's
// Certificate message, once per certificate of the chain it built, the peer's own certificate
// (depth 0) last; the flags it leaves decide: none, and the handshake goes on; any, and
// mbedTLS (authmode REQUIRED) sends the fatal alert they name and the handshake fails. Like
// the I/O callbacks it runs only inside the session's own mbedTLS calls, so the unretained
// pointer is valid.
extension SecureSession {
    func installVerifyCallback() {
        mbedtls_ssl_set_verify(context, SecureSession.verifyCallback, Unmanaged.passUnretained(self).toOpaque())
    }

    static let verifyCallback:
        @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<mbedtls_x509_crt>?, Int32, UnsafeMutablePointer<UInt32>?)
            -> Int32 = { context, certificate, depth, flags in
                guard let context, let certificate, let flags else { return MBEDTLS_ERR_X509_FATAL_ERROR }
                let session = Unmanaged<SecureSession>.fromOpaque(context).takeUnretainedValue()
                guard let check = session.configuration.handshakeCheck else { return 0 }
                // mbedTLS's own flags are replaced: it has no trust anchors of ours (the overlay's
                // roots, CRL, bad nodes and self-signed policy are the verifier's), so it
                // finds every chain untrusted. The judgement is the whole chain's, made once at
                // depth 0, where `certificate` heads the list the peer sent.
                flags.pointee = depth == 0 ? session.judgePeerChain(startingAt: certificate, with: check) : 0
                return 0
            }

    /// The flags for the chain that starts at `first`: 0 when `check` accepts it; else the
    /// refusal is kept for the session's failure (`LinkError.certificateRefused`).
    func judgePeerChain(startingAt first: UnsafeMutablePointer<mbedtls_x509_crt>, with check: HandshakeCertificateCheck) -> UInt32 {
        let chain = PeerCertificateChain(
            certificates: SecureSession.certificatesDER(from: first), verifiedByTrustAnchors: false, cipherSuite: cipherSuiteName)
        guard let refusal = check.judge(chain, expected: expectedNodeId) else { return 0 }
        certificateRefusal = refusal
        counters.certificatesRefusedInHandshake += 1
        return HandshakeCertificateCheck.flags(for: refusal)
    }
}
