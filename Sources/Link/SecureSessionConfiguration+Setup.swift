import CMbedTLS
import Crypto

// The mbedtls_ssl_conf_* calls of SecureSessionConfiguration.init, by concern.
extension SecureSessionConfiguration {
    /// Role, transport, TLS 1.2 only, the cipher suites, curve and hash, the RNG.
    func configureProtocol() throws(LinkError) {
        let endpoint = role == .client ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER
        let kind = transport == .datagram ? MBEDTLS_SSL_TRANSPORT_DATAGRAM : MBEDTLS_SSL_TRANSPORT_STREAM
        let code = mbedtls_ssl_config_defaults(context, endpoint, kind, MBEDTLS_SSL_PRESET_DEFAULT)
        if code != 0 { throw .library(operation: "mbedtls_ssl_config_defaults", code: code) }
        // (D)TLS 1.2 only: mbedTLS numbers DTLS 1.2 as TLS 1.2 (3,3) internally.
        mbedtls_ssl_conf_min_version(context, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3)
        mbedtls_ssl_conf_max_version(context, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3)
        mbedtls_ssl_conf_ciphersuites(context, cipherSuites)
        mbedtls_ssl_conf_curves(context, curves)
        mbedtls_ssl_conf_sig_hashes(context, signatureHashes)
        mbedtls_ssl_conf_rng(context, random.mbedtlsRandomFunction, random.mbedtlsRandomContext)
        // No renegotiation (a second handshake inside a link buys nothing here and has a history
        // of attacks) and no session tickets (every link authenticates in full).
        mbedtls_ssl_conf_renegotiation(context, MBEDTLS_SSL_RENEGOTIATION_DISABLED)
        mbedtls_ssl_conf_session_tickets(context, MBEDTLS_SSL_SESSION_TICKETS_DISABLED)
        mbedtls_ssl_conf_extended_master_secret(context, Int8(MBEDTLS_SSL_EXTENDED_MS_ENABLED))
    }

    /// Our certificate chain and key (none for a TLS client without a certificate).
    func configureIdentity() throws(LinkError) {
        guard let ownChain, let privateKey else {
            guard self.ownChain == nil && self.privateKey == nil else {
                throw .invalidConfiguration("a certificate chain needs its private key and a key its chain")
            }
            return
        }
        guard ownChain.matches(privateKey: privateKey) else {
            throw .invalidConfiguration("private key does not match the first certificate of the chain")
        }
        let code = mbedtls_ssl_conf_own_cert(context, ownChain.context, privateKey.mbedtlsContext)
        if code != 0 { throw .library(operation: "mbedtls_ssl_conf_own_cert", code: code) }
    }

    /// Both sides ask for and check the peer's certificate: REQUIRED against trust anchors, or
    /// OPTIONAL when the owner checks the chain itself (the CertificateVerify or
    /// ServerKeyExchange signature still proves the peer holds the certificate's key; REQUIRED
    /// once the owner's check runs inside the handshake, `checkPeersDuringHandshake`); NONE
    /// only for the HTTPS enrollment server (`Trust.notRequested`).
    func configureTrust() {
        if !requestsPeerCertificate {
            mbedtls_ssl_conf_authmode(context, MBEDTLS_SSL_VERIFY_NONE)
        } else if let anchors {
            mbedtls_ssl_conf_authmode(context, MBEDTLS_SSL_VERIFY_REQUIRED)
            mbedtls_ssl_conf_ca_chain(context, anchors.context, revocationList?.mbedtlsContext)
        } else {
            mbedtls_ssl_conf_authmode(context, MBEDTLS_SSL_VERIFY_OPTIONAL)
        }
    }

    /// Deferred trust, judged inside the handshake: the sessions made from here on run `check`
    /// on the peer's chain as soon as it arrives (`HandshakeCertificateCheck`) and fail the
    /// handshake with a fatal alert when it refuses. mbedTLS sends that alert only in authmode
    /// REQUIRED (OPTIONAL goes on after any verification failure), and REQUIRED wants a CA
    /// list: it gets our own chain, which is no CA and so never a trust anchor for the peer's
    /// chain; the verify callback replaces every flag mbedTLS finds with the check's own.
    public func checkPeersDuringHandshake(_ check: HandshakeCertificateCheck) throws(LinkError) {
        guard requestsPeerCertificate, !verifiesPeerAgainstAnchors, let ownChain else {
            throw .invalidConfiguration("only a configuration with trust deferred to its owner checks peers in the handshake")
        }
        handshakeCheck = check
        mbedtls_ssl_conf_authmode(context, MBEDTLS_SSL_VERIFY_REQUIRED)
        mbedtls_ssl_conf_ca_chain(context, ownChain.context, nil)
    }

    /// DTLS: retransmission timer bounds, anti-replay, and the server's cookie key.
    func configureDatagram() throws(LinkError) {
        guard transport == .datagram else { return }
        // RFC 6347 §4.2.4.1: initial 1 s, doubling up to the maximum.
        mbedtls_ssl_conf_handshake_timeout(
            context, timeouts.initialRetransmitMilliseconds, timeouts.maximumRetransmitMilliseconds)
        // RFC 6347 §4.1.2.6: a sliding window discards records received twice.
        mbedtls_ssl_conf_dtls_anti_replay(context, Int8(MBEDTLS_SSL_ANTI_REPLAY_ENABLED))
        // RFC 6347 §4.1.2.7: records with a bad MAC are silently discarded (limit 0: never
        // tear the association down for them, an attacker could forge such records).
        mbedtls_ssl_conf_dtls_badmac_limit(context, 0)
        guard let cookies else { return }
        // RFC 6347 §4.2.1: the server answers a ClientHello without a valid cookie with a
        // HelloVerifyRequest and keeps no state; the cookie is an HMAC over the client's
        // transport address under a random key.
        let code = mbedtls_ssl_cookie_setup(cookies, random.mbedtlsRandomFunction, random.mbedtlsRandomContext)
        if code != 0 { throw .library(operation: "mbedtls_ssl_cookie_setup", code: code) }
        mbedtls_ssl_conf_dtls_cookies(context, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, cookies)
    }

    /// True when `cookie` is one this server made for `clientId` and has not expired: the
    /// listener's cheap check before any per-client state or public-key crypto.
    func isValidCookie(_ cookie: [UInt8], clientId: [UInt8]) -> Bool {
        guard let cookies, !cookie.isEmpty else { return false }
        let code = cookie.withUnsafeBufferPointer { cookieBuffer in
            clientId.withUnsafeBufferPointer { idBuffer in
                mbedtls_ssl_cookie_check(cookies, cookieBuffer.baseAddress, cookieBuffer.count, idBuffer.baseAddress, idBuffer.count)
            }
        }
        return code == 0
    }
}
