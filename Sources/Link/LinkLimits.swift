/// Every limit of the Link module in one place: what the RFCs fix first, then the
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
    /// RFC 6940 §6.6.3.1: "the default value for RTO is 500 ms" (a static RTO, and the RTO
    /// before the first RTT measurement of a link).
    public static let rfcInitialRetransmissionTimeoutMilliseconds: UInt64 = 500
    /// RFC 6940 §6.6.3.1: retransmissions continue "until a total of 5 requests have been sent".
    public static let rfcTransmissionsPerMessage = 5
    /// RFC 6940 §6.6.3.1: no ACK for an RTO, then "three retransmissions": the link is likely
    /// failing and is taken out of the routing table.
    public static let rfcRetransmissionsBeforeUnresponsive = 3
    /// RFC 6940 §6.6.3.1: "A sender MUST wait 10 ms between receipt of an ACK and transmission
    /// of the next message."
    public static let rfcGapAfterAckMilliseconds: UInt64 = 10
    /// RFC 6940 §6.6.2: the receiver tracks "the 32 most recent sequence numbers received".
    public static let rfcReceivedWindow = 32
    /// RFC 6298 (2.5): a maximum on the RTO may be placed "provided it is at least 60 seconds".
    public static let rfc6298MaximumRetransmissionTimeoutMilliseconds: UInt64 = 60_000
    /// RFC 6298 (2.2): RTO = SRTT + max(G, K * RTTVAR) with K = 4; G, the clock granularity,
    /// is 1 ms here (RFC 6940 §6.6.3.1 rounds the RTO up to the millisecond).
    static let rfc6298VarianceFactor: UInt64 = 4
    static let rfc6298GranularityMicroseconds: UInt64 = 1_000
    /// The most a DTLS 1.2 record of our cipher suites adds to its plaintext besides the
    /// 13-byte header: AES-128-GCM's 8-byte explicit nonce and 16-byte tag (ChaCha20-Poly1305
    /// adds 16). A frame sized with it fits the MTU whichever suite was negotiated.
    static let dtlsRecordExpansionBytes = 24

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

    // MARK: Chosen by us: handshakes per source (`HandshakeSourceLimits`, RFC 6347 §4.2.1)

    /// Half-open handshakes one host (IP address) may hold: a quarter of the default table,
    /// so that a flood from three hosts cannot fill it alone.
    public static let defaultHalfOpenPerSource = 4
    /// New handshakes per host: 8 at once, then one every 250 ms (a loopback testnet's peers
    /// share one host; a joining peer opens a handful of links).
    public static let defaultHandshakeBurstPerSource = 8
    /// Within TokenBucketTable.maximumBurst (the per-host buckets are Wire's table).
    public static let maximumHandshakeBurstPerSource = 1_024
    public static let defaultHandshakeRefillMilliseconds: UInt64 = 250
    /// A half-open handshake lives 5 s, not the handshake's 60 s: an honest client sends its
    /// second flight one round trip after our flight (three retransmissions of a lost flight,
    /// 1 s + 2 s, still fit), so a slot held longer is most likely held on purpose.
    public static let defaultHalfOpenLifetimeMilliseconds: UInt64 = 5_000
    /// The oldest half-open handshake gives way to a new one only if it is at least 1 s old
    /// (as an HTTPS connection, `HTTPSLimits.evictionMinimumAgeMilliseconds`): an honest
    /// handshake on a LAN completes in far less, so a flood recycles its own slots.
    public static let halfOpenEvictionMinimumAgeMilliseconds: UInt64 = 1_000
    /// A transport address whose certificate was refused starts no handshake for 60 s.
    public static let defaultIdentityBanMilliseconds: UInt64 = 60_000
    /// Hosts with a handshake token bucket, and banned addresses, remembered (each).
    public static let defaultTrackedHandshakeSources = 256
    public static let maximumTrackedHandshakeSources = 65_536
    /// Upper bound of every time limit above (a day).
    public static let maximumLimitMilliseconds: UInt64 = 86_400_000

    // MARK: Chosen by us: Simple Reliability and overlay links (RFC 6940 §6.6.3)

    /// The RFC 6298 estimate never goes below this: on a router the event loop can be held for
    /// tens of milliseconds by a handshake's public-key operations, which would otherwise look
    /// like loss and cause spurious retransmissions. Linux TCP uses the same floor.
    public static let defaultMinimumRetransmissionTimeoutMilliseconds: UInt64 = 200
    /// Messages (whole, or fragments of one) a link holds for sending, the unacknowledged one
    /// not counted. Stop-and-wait sends one per round trip plus 10 ms, so a deeper queue only
    /// adds latency; a 16 KiB message cut for a 1200-byte path is 15 fragments.
    public static let defaultSendQueueCapacity = 64
    public static let maximumSendQueueCapacity = 4_096
    /// A copy of a message delivered less than this long ago is a hop-by-hop retransmission
    /// whose ACK was lost, and is not delivered again (`DuplicateFilter`). It covers the
    /// fifteen RTOs of a sender's retransmissions for RTOs up to 266 ms, and stays below twice
    /// the overlay-reliability-timer (3 s by default, RFC 6940 §6.2.1), so that the second
    /// end-to-end retransmission of a request is delivered whatever happened to the first.
    public static let defaultDuplicateWindowMilliseconds: UInt64 = 4_000
    /// A copy also when it follows the previous copy by less than this: below the
    /// overlay-reliability-timer, so end-to-end retransmissions are never chained as copies.
    public static let duplicateCopyGapMilliseconds: UInt64 = 2_500
    /// Messages remembered for that check (digest, length and time: 24 bytes each).
    static let recentDeliveries = 8
    /// Sequence numbers sent whose time is kept for RTT samples from late ACKs.
    static let recentTransmissions = 32
    /// The largest plaintext of one DTLS record a link sends unless configured lower; the
    /// datagram MTU lowers it further (see `OverlayLinkConfiguration`).
    public static let defaultFramePayloadBytes = 16_384
    /// A frame payload below this leaves no room to fragment: frame header, the 32-byte reserve
    /// of RFC 6940 §6.7, a forwarding header and 256 bytes of body per fragment. The smallest
    /// datagram MTU (512) less the record overhead still allows it.
    public static let minimumFramePayloadBytes = 400

    // MARK: Application connections (AppAttach, RFC 6940 §6.5.2; `AppLinkManager`)

    /// Application connections at once unless configured otherwise.
    public static let defaultAppLinks = 32
    /// Datagrams held per connection during its handshake, by default and at most.
    public static let defaultAppLinkQueueCapacity = 16
    public static let maximumAppLinkQueueCapacity = 256
    /// An application connection that delivered nothing for two minutes is closed: a SIP
    /// dialog's connection is set up again by its next request (RFC 7904 §5.1 "A previously
    /// established SIP connection MAY be used", not must).
    public static let defaultAppLinkIdleMilliseconds: UInt64 = 120_000
    /// A request sent and nothing back for 8 s: SIP answers every request but ACK at once
    /// (a proxy's 100 Trying, RFC 3261 §16.2) or within a few T1 (500 ms, §17.1.1.1).
    public static let defaultAppLinkReplyMilliseconds: UInt64 = 8_000
    /// Application datagrams travel whole in one DTLS record (no RELOAD framing): the MTU
    /// of application connections lets one record hold the largest SIP message (SIPLimits:
    /// 16 KiB), leaving IP to fragment, as SIP over UDP does (RFC 3261 §18.1.1).
    public static let appLinkDatagramMTU: UInt16 = UInt16(maximumDatagramBytes)
}
