import CMbedTLS
import Crypto
import Wire

/// Owner of an mbedtls_ssl_config: everything sessions of one kind share (role, transport,
/// identity, trust, cipher suites, timers, random generator). Make one per role and transport
/// at start-up; sessions keep a reference to it.
///
/// The profile is fixed and small: TLS 1.2 / DTLS 1.2 only; ECDHE-ECDSA with AES-128-GCM or
/// ChaCha20-Poly1305 on P-256 with SHA-256 signatures; mutual authentication always
/// (RFC 6940 §6.6.1: "it MUST be possible to cryptographically verify that the endpoint has a
/// given Node-ID"); DTLS anti-replay on (RFC 6347 §4.1.2.6; RFC 6940 §6.6.1 "replay
/// prevention/detection"); HelloVerifyRequest cookies on the DTLS server (RFC 6347 §4.2.1).
public final class SecureSessionConfiguration {
    public enum Role: Sendable { case client, server }
    public enum Transport: Sendable {
        /// DTLS 1.2 (RFC 6347) over datagrams: overlay links (RFC 6940 §6.6.6).
        case datagram
        /// TLS 1.2 (RFC 5246) over a byte stream: the HTTPS enrollment server and client.
        case stream
    }

    /// Whom we believe.
    public enum Trust {
        /// The peer's chain must verify against these roots (and not be on the revocation list,
        /// DER, when one is given); otherwise the handshake fails.
        case anchors([Certificate], revocationListDER: [UInt8]?)
        /// Any certificate completes the handshake (the peer still proves it holds the key);
        /// the chain is handed to the owner, who must check it before trusting the session
        /// (self-signed overlays, RFC 6940 §11.3.1). With `checkPeersDuringHandshake`, the
        /// owner's check also runs inside the handshake and can end it.
        case deferredToOwner
        /// The peer is not asked for a certificate at all. Only for a TLS (stream) server whose
        /// clients authenticate otherwise: the HTTPS enrollment server of RFC 6940 §11.3, where
        /// a client has no certificate yet and proves who it is with "username" and "password".
        /// The handshake completes with an empty `PeerCertificateChain`.
        case notRequested
    }

    public let role: Role
    public let transport: Transport
    public let timeouts: HandshakeTimeouts
    /// Path MTU for DTLS records and handshake fragments.
    public let datagramMTU: UInt16
    public let keyLogEnabled: Bool
    /// True when mbedTLS verifies the peer's chain against trust anchors.
    public let verifiesPeerAgainstAnchors: Bool
    /// False only for `Trust.notRequested`: the peer is not asked for a certificate.
    public let requestsPeerCertificate: Bool

    let context: UnsafeMutablePointer<mbedtls_ssl_config>
    /// Nil only for a TLS client without a certificate (an HTTPS client: `p2psip enroll`).
    let ownChain: CertificateChain?
    let privateKey: PrivateKey?
    let random: RandomGenerator
    let anchors: CertificateChain?
    let revocationList: RevocationList?
    /// DTLS server only: the key that makes and checks HelloVerifyRequest cookies.
    let cookies: UnsafeMutablePointer<mbedtls_ssl_cookie_ctx>?
    /// mbedTLS keeps pointers to these zero-terminated lists, so they live here.
    let cipherSuites: UnsafeMutablePointer<Int32>
    let curves: UnsafeMutablePointer<mbedtls_ecp_group_id>
    let signatureHashes: UnsafeMutablePointer<Int32>
    /// One plaintext buffer for mbedtls_ssl_read shared by all sessions of this configuration
    /// (one thread, one event loop: only one session reads at a time, and copies out at once).
    let readBuffer: UnsafeMutablePointer<UInt8>
    /// The owner's link authenticator, run inside the handshake (`checkPeersDuringHandshake`).
    public internal(set) var handshakeCheck: HandshakeCertificateCheck? = nil
    /// NSS key log lines from the key export callback, collected by the session whose
    /// handshake produced them right after the mbedTLS call returns.
    var pendingKeyLogLines: [String] = []

    static let suiteList: [Int32] = [
        MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        0,
    ]

    /// - Parameters:
    ///   - certificateChain: our certificate first, then intermediates (not the root). Empty
    ///     (with no private key) only for a TLS client that verifies the server against trust
    ///     anchors and has no certificate of its own (the HTTPS client of `p2psip enroll`).
    ///   - privateKey: the P-256 key of our certificate.
    ///   - random: the generator for handshake randoms, ECDHE keys, nonces and cookies.
    ///   - keyLog: produce NSS key log lines (`--keylog FILE`) as session actions.
    public init(
        role: Role, transport: Transport, certificateChain: [Certificate], privateKey: PrivateKey?,
        trust: Trust, random: RandomGenerator, timeouts: HandshakeTimeouts = .rfc6347,
        datagramMTU: UInt16 = LinkLimits.defaultDatagramMTU, keyLog: Bool = false
    ) throws(LinkError) {
        guard datagramMTU >= LinkLimits.minimumDatagramMTU && Int(datagramMTU) <= LinkLimits.maximumDatagramBytes else {
            throw .invalidConfiguration("datagram MTU \(datagramMTU) (\(LinkLimits.minimumDatagramMTU)...\(LinkLimits.maximumDatagramBytes))")
        }
        try SecureSessionConfiguration.checkCombination(
            role: role, transport: transport, hasIdentity: !certificateChain.isEmpty || privateKey != nil, trust: trust)
        ownChain = certificateChain.isEmpty
            ? nil
            : try SecureSessionConfiguration.chain(
                certificateChain, limit: LinkLimits.maximumOwnChainCertificates, what: "own chain")
        (anchors, revocationList, verifiesPeerAgainstAnchors, requestsPeerCertificate) =
            try SecureSessionConfiguration.trustContexts(trust)
        self.role = role
        self.transport = transport
        self.timeouts = timeouts
        self.datagramMTU = datagramMTU
        self.keyLogEnabled = keyLog
        self.privateKey = privateKey
        self.random = random
        context = .allocate(capacity: 1)
        mbedtls_ssl_config_init(context)
        cookies = role == .server && transport == .datagram ? .allocate(capacity: 1) : nil
        if let cookies { mbedtls_ssl_cookie_init(cookies) }
        cipherSuites = SecureSessionConfiguration.copyList(SecureSessionConfiguration.suiteList)
        curves = SecureSessionConfiguration.copyList([MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE])
        signatureHashes = SecureSessionConfiguration.copyList([Int32(MBEDTLS_MD_SHA256.rawValue), Int32(MBEDTLS_MD_NONE.rawValue)])
        readBuffer = .allocate(capacity: LinkLimits.maximumPlaintextRecordBytes)
        // Every stored property is set: from here a throw runs deinit, which frees all of it.
        try configureProtocol()
        try configureIdentity()
        configureTrust()
        try configureDatagram()
        if keyLog { configureKeyLog() }
    }

    deinit {
        mbedtls_ssl_config_free(context)
        context.deallocate()
        if let cookies {
            mbedtls_ssl_cookie_free(cookies)
            cookies.deallocate()
        }
        cipherSuites.deallocate()
        curves.deallocate()
        signatureHashes.deallocate()
        readBuffer.deallocate()
    }

    static func copyList<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let list = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        list.initialize(from: values, count: values.count)
        return list
    }
}
