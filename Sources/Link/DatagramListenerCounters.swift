/// What a DatagramListener did with datagrams from unknown addresses.
public struct DatagramListenerCounters: Equatable, Sendable {
    /// HelloVerifyRequests sent for ClientHellos without a valid cookie (no state kept).
    public var helloVerifySent: UInt64 = 0
    /// ClientHellos whose cookie was valid.
    public var cookiesValid: UInt64 = 0
    /// Handshakes handed over as sessions.
    public var handshakesAccepted: UInt64 = 0
    /// ClientHellos with a valid cookie dropped because the half-open limit was reached.
    public var droppedOverLimit: UInt64 = 0
    /// ClientHellos with a valid cookie dropped: their host held `halfOpenPerSource`
    /// half-open handshakes, or its token bucket was empty, or the address was banned.
    public var droppedSourceLimit: UInt64 = 0
    public var droppedSourceRate: UInt64 = 0
    public var droppedBanned: UInt64 = 0
    /// Half-open handshakes that gave way to a new one (the table was full), and bans placed.
    public var halfOpenEvicted: UInt64 = 0
    public var bans: UInt64 = 0
    /// Half-open handshakes that failed at their lifetime (or the handshake time limit).
    public var halfOpenExpired: UInt64 = 0
    /// Datagrams that were not a single whole DTLS ClientHello (or too large).
    public var droppedNotClientHello: UInt64 = 0
    /// ClientHellos mbedTLS refused (malformed, no common cipher suite, ...).
    public var handshakesFailed: UInt64 = 0

    public init() {}
}
