import CMbedTLS
import Reload
import Wire

/// One TLS 1.2 or DTLS 1.2 association with one peer, owning its mbedtls_ssl_context, over an
/// in-memory transport (sans-I/O): the owner feeds what arrived with `receive`,
/// hands plaintext to `send`, calls `tick` at `nextDeadline`, and performs the returned
/// actions (transmit, deliver plaintext, ...). Time is the `now` argument of each call;
/// mbedTLS's DTLS retransmission timer reads that stored instant, never a clock.
///
/// DTLS server sessions come from `DatagramListener` (after a valid cookie, RFC 6347
/// §4.2.1); clients and TLS servers are made directly.
public final class SecureSession {
    public let configuration: SecureSessionConfiguration
    public internal(set) var state: SecureSessionState = .handshaking
    public internal(set) var counters = SecureSessionCounters()
    /// The peer's chain once the handshake completed.
    public internal(set) var peerCertificates: PeerCertificateChain? = nil

    let context: UnsafeMutablePointer<mbedtls_ssl_context>
    var inbound: TransportQueue
    var outbound: TransportQueue
    var timer = RetransmissionTimer()
    var timerExpiryCounted = false
    /// The instant of the call in progress (or of the last call).
    var now: Instant
    var handshakeDeadline: Instant
    /// The Node-ID the peer must prove (a link we opened for it), for the check inside the
    /// handshake (`HandshakeCertificateCheck`).
    var expectedNodeId: NodeId? = nil
    /// Why the check inside the handshake refused the peer's chain, once it has.
    var certificateRefusal: LinkAuthenticationRefusal? = nil
    /// Set for sessions a DatagramListener accepted: released when the handshake ends.
    var halfOpenSlot: HalfOpenBudget? = nil
    var halfOpenSlotNumber = 0

    /// A client session; `start` sends the first flight. `serverName`, when given, is sent as
    /// SNI and must be a name in the server's certificate (HTTPS); overlay links leave it nil
    /// and identify the peer by the Node-IDs in its certificate instead.
    public convenience init(
        connectingWith configuration: SecureSessionConfiguration, serverName: String? = nil, now: Instant
    ) throws(LinkError) {
        precondition(configuration.role == .client, "a client session needs a client configuration")
        try self.init(configuration: configuration, now: now)
        if let serverName {
            let code = mbedtls_ssl_set_hostname(context, serverName)
            if code != 0 { throw .library(operation: "mbedtls_ssl_set_hostname", code: code) }
        }
    }

    /// A TLS (stream) server session for one accepted connection. DTLS server sessions come
    /// from `DatagramListener`, which checks the cookie first.
    public convenience init(acceptingWith configuration: SecureSessionConfiguration, now: Instant) throws(LinkError) {
        precondition(configuration.role == .server, "a server session needs a server configuration")
        guard configuration.transport == .stream else {
            throw .invalidConfiguration("DTLS server sessions are made by DatagramListener (cookie exchange first)")
        }
        try self.init(configuration: configuration, now: now)
    }

    init(configuration: SecureSessionConfiguration, now: Instant) throws(LinkError) {
        self.configuration = configuration
        self.now = now
        handshakeDeadline = now.adding(milliseconds: configuration.timeouts.totalMilliseconds)
        let datagram = configuration.transport == .datagram
        inbound = datagram
            ? TransportQueue(maximumChunks: LinkLimits.inboundDatagramQueueCapacity,
                             maximumBytes: LinkLimits.inboundDatagramQueueCapacity * LinkLimits.maximumDatagramBytes, isDatagram: true)
            : TransportQueue(maximumChunks: LinkLimits.streamQueueChunks, maximumBytes: LinkLimits.streamBufferBytes, isDatagram: false)
        outbound = datagram
            ? TransportQueue(maximumChunks: LinkLimits.outboundDatagramQueueCapacity,
                             maximumBytes: LinkLimits.outboundDatagramQueueCapacity * LinkLimits.maximumDatagramBytes, isDatagram: true)
            : TransportQueue(maximumChunks: LinkLimits.streamQueueChunks, maximumBytes: LinkLimits.streamBufferBytes, isDatagram: false)
        context = .allocate(capacity: 1)
        mbedtls_ssl_init(context)
        // Every stored property is set: from here a throw runs deinit, which frees the context.
        let code = mbedtls_ssl_setup(context, configuration.context)
        if code != 0 { throw .library(operation: "mbedtls_ssl_setup", code: code) }
        installCallbacks()
    }

    deinit {
        releaseHalfOpenSlot()
        mbedtls_ssl_free(context)
        context.deallocate()
    }

    /// When `tick` must be called next (a DTLS retransmission, or the handshake's time limit);
    /// nil when nothing is pending. The event loop sleeps until the nearest of these.
    public var nextDeadline: Instant? {
        guard state == .handshaking else { return nil }
        if let final = timer.final, final < handshakeDeadline { return final }
        return handshakeDeadline
    }

    /// The largest plaintext one `send` takes: what fits in one DTLS record within the MTU
    /// (the caller fragments above that, RFC 6940 §6.7), or the stream limit for TLS.
    public var maximumPlaintextPerSend: Int {
        guard configuration.transport == .datagram else { return LinkLimits.maximumStreamPlaintextPerSend }
        let payload = mbedtls_ssl_get_max_out_record_payload(context)
        return payload > 0 ? Int(payload) : 0
    }
}
