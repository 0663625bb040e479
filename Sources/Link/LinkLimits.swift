/// Every limit of the Link module in one place (STYLE.md 4): what the RFCs fix first, then the
/// bounds we chose. A test (LinkLimitsTests) checks the relations between them.
public enum LinkLimits {
    // MARK: Fixed by the specifications

    /// RFC 6347 §4.2.4.1: "an initial timer value of 1 second".
    public static let rfcInitialRetransmitMilliseconds: UInt32 = 1_000
    /// RFC 6347 §4.2.4.1: double the timer "up to no less than the RFC 6298 maximum of 60 seconds".
    public static let rfcMaximumRetransmitMilliseconds: UInt32 = 60_000
    /// RFC 6347 §4.2.1 (DTLS 1.2): `opaque cookie<0..2^8-1>`.
    static let maximumCookieBytes = 255
    /// RFC 5246 §7.4.1.2: `opaque SessionID<0..32>`.
    static let maximumSessionIdBytes = 32
    /// RFC 6347 §4.1: a DTLS record header is 13 bytes.
    static let dtlsRecordHeaderBytes = 13
    /// RFC 6347 §4.2.2: a DTLS handshake header is 12 bytes.
    static let dtlsHandshakeHeaderBytes = 12
    /// RFC 5246 §6.2.1: a record carries at most 2^14 bytes of plaintext.
    public static let maximumPlaintextRecordBytes = 16_384
    /// RFC 5246 §8.1 and RFC 5288 §3: the master secret is 48 bytes, each random 32.
    static let masterSecretBytes = 48
    static let helloRandomBytes = 32

    // MARK: Chosen by us

    /// Path MTU assumed for DTLS records and handshake fragments: the IPv6 minimum link MTU
    /// (1280) less the IPv6 and UDP headers, so no flight needs IP fragmentation.
    public static let defaultDatagramMTU: UInt16 = 1_232
    /// The smallest MTU a configuration accepts: below it, record and handshake headers
    /// would leave little room for anything else.
    public static let minimumDatagramMTU: UInt16 = 512
    /// An incoming datagram longer than this is dropped before mbedTLS sees it: it cannot hold
    /// a record mbedTLS would accept (2^14 plaintext plus header and AEAD overhead).
    public static let maximumDatagramBytes = 17_408
    /// Datagrams waiting for mbedTLS to read them: `receive` feeds one and reads until mbedTLS
    /// wants more, so more than one is waiting only within a call.
    public static let inboundDatagramQueueCapacity = 4
    /// Datagrams one call may produce before they are handed to the caller: a handshake flight
    /// fragmented at the MTU (server certificate chain) plus alerts.
    public static let outboundDatagramQueueCapacity = 32
    /// Bytes buffered in each direction in stream (TLS) mode: two full records.
    public static let streamBufferBytes = 2 * 17_408
    /// Pieces buffered in each direction in stream mode. Each call empties the queues (mbedTLS
    /// reads what has arrived; what it writes is handed out), so a few pieces suffice.
    static let streamQueueChunks = 64
    /// Plaintext one `send` takes in stream mode (it is cut into records of at most 2^14).
    public static let maximumStreamPlaintextPerSend = 65_536
    /// Certificates read from a peer's chain (leaf, intermediates, maybe the root).
    public static let maximumPeerChainCertificates = 8
    /// Certificates in our own chain and among the trust anchors.
    public static let maximumOwnChainCertificates = 4
    public static let maximumTrustAnchors = 16
    /// Bytes of a peer address (the key of the connection table and the DTLS client
    /// transport id the cookie is bound to): family, 16 address bytes and a port fit easily.
    public static let maximumPeerAddressBytes = 32
    /// mbedtls_ssl_read calls in one `receive`/`tick`: more than the records a full stream
    /// buffer can hold (a record is at least `minimumRecordBytes`).
    static let maximumRecordsPerCall = 2_048
    static let minimumRecordBytes = 21
    /// Times one call lets mbedTLS resume after the outbound queue was emptied.
    static let maximumWriteResumptions = 64
    /// Key log lines held between the mbedTLS callback and the session that collects them.
    static let pendingKeyLogLines = 4
    /// Handshakes the datagram listener lets run at once unless told otherwise.
    public static let defaultHalfOpenLimit = 16
    /// Upper bound for a listener's half-open limit and a connection table's capacity.
    public static let maximumHalfOpenLimit = 4_096
    public static let maximumConnectionTableCapacity = 65_536
    /// A handshake that has not completed this long after it started fails, whatever mbedTLS's
    /// retransmission timer says (it bounds how long a half-open slot can be held).
    public static let defaultHandshakeTotalMilliseconds: UInt64 = 60_000
}
