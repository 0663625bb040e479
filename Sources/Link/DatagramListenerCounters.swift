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
    /// Datagrams that were not a single whole DTLS ClientHello (or too large).
    public var droppedNotClientHello: UInt64 = 0
    /// ClientHellos mbedTLS refused (malformed, no common cipher suite, ...).
    public var handshakesFailed: UInt64 = 0

    public init() {}
}
