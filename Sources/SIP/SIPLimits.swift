import Wire

/// Limits of the SIP module, in one place. Spec constants are apart from our own limits;
/// SIPLimitsTests checks the relations between them.
public enum SIPLimits {
    // MARK: Spec constants

    /// RFC 3261 §8.1.1.5: "The sequence number value MUST be expressible as a 32-bit unsigned
    /// integer and MUST be less than 2**31."
    public static let cseqLimit: UInt32 = 1 << 31
    /// RFC 3261 §20.22: Max-Forwards is 0 to 255 in practice; §8.1.1.6 recommends 70.
    public static let maximumMaxForwards = 255
    public static let defaultMaxForwards = 70
    /// RFC 3261 §25.1: delta-seconds is 1*DIGIT; §20.19 caps Expires at 2**32-1.
    public static let maximumDeltaSeconds = UInt64(UInt32.max)
    /// RFC 3261 §8.1.1.7: the branch of a Via "MUST always begin with the characters z9hG4bK".
    public static let branchMagicCookie: [UInt8] = Array("z9hG4bK".utf8)
    /// RFC 3261 §18.1.1: requests over 1300 bytes (MTU minus 200) should go over a congestion
    /// controlled transport; we accept up to our own message limit on datagrams.
    public static let pathMTUBoundBytes = 1300

    // MARK: Implementation limits

    /// A whole message, start line, headers and body. A UDP datagram is at most 65507 bytes;
    /// phones send a REGISTER or INVITE of 500 to 3000 bytes.
    public static let maximumMessageBytes = 16 * 1024
    /// A header section (after unfolding), without the body.
    public static let maximumHeaderSectionBytes = 8 * 1024
    /// One line: the start line, or a header field after unfolding its continuation lines.
    public static let maximumLineBytes = 2048
    /// Header fields (lines); a comma-separated list counts each value in `maximumValues`.
    public static let maximumHeaderFields = 64
    /// Values of one list header (Via, Contact, Route, Record-Route) over all its lines. A
    /// request that crossed as many proxies as the Max-Forwards of RFC 3261 §8.1.1.6 allows
    /// (70) carries that many Vias; RFC 4475 §3.1.1.7 "longreq", a valid request, has 34.
    public static let maximumValues = 70
    /// Parameters of one URI, one name-addr, one Via or one challenge.
    public static let maximumParameters = 16
    /// Headers of one URI (`?name=value&...`).
    public static let maximumURIHeaders = 8
    /// Digits of a number we read (Content-Length, CSeq, Expires, port, Max-Forwards).
    public static let maximumDigits = 10
    /// The body of a message.
    public static let maximumBodyBytes = 12 * 1024
    /// A method name (registered methods are at most 9 characters, SUBSCRIBE; RFC 4475
    /// "intmeth" uses an extension method of 44).
    public static let maximumMethodBytes = 64
    /// A reason phrase we copy into a log or a response.
    public static let maximumReasonBytes = 128
}

extension SIPLimits {
    // MARK: Digest authentication (RFC 3261 §22, RFC 2617, RFC 8760)

    /// How long a nonce we issued is accepted; after that the client is answered with a new
    /// challenge with stale=true (RFC 2617 §3.2.1). Phones re-register every few minutes to
    /// an hour and authenticate each REGISTER anew.
    public static let defaultNonceLifetimeSeconds: Int64 = 300
    public static let nonceLifetimeRange: ClosedRange<Int64> = 10...3600
    /// A nonce stamped this far in our future is still accepted (the clock stepped back).
    public static let nonceClockSkewSeconds: Int64 = 5
    /// Bytes of HMAC-SHA256 kept in a nonce (128 bits: forgery needs 2**128 tries).
    public static let nonceMACBytes = 16
    /// Nonces whose nonce-counts we remember (RFC 2617 §3.2.2: "the server can detect
    /// request replays by maintaining its own copy of this count"). At the limit the oldest
    /// is forgotten and any nonce as old is treated as stale.
    public static let nonceCountCapacity = 1024
    /// The server secret of the nonce MAC: at least 128 bits.
    public static let minimumNonceSecretBytes = 16
    /// A Digest value we accept (user name, realm, cnonce, uri).
    public static let maximumDigestValueBytes = 256

    // MARK: Digest failure penalties (FailureRateLimiter)

    /// Keys whose failures we count; at the limit forgotten keys go first, then the least
    /// penalized one.
    public static let failureTableCapacity = 4096
    /// The first penalty, at the allowed-th failure; each further failure doubles it, up to
    /// the maximum (a guessing run gets about one guess per maximum penalty, not one per
    /// round trip).
    public static let defaultBasePenaltySeconds: Int64 = 2
    public static let defaultMaximumPenaltySeconds: Int64 = 900

    // MARK: Per-source token buckets (TokenBucketTable)

    /// The most tokens a bucket gains a minute (100 a second), and holds.
    public static let maximumRatePerMinute = TokenBucketTable.maximumRatePerMinute
    public static let maximumBurst = TokenBucketTable.maximumBurst
}
