/// How long a handshake may take. DTLS retransmits a lost flight after
/// `initialRetransmitMilliseconds`, doubling the wait each time up to
/// `maximumRetransmitMilliseconds` (RFC 6347 §4.2.4.1), and gives up beyond it. Independently,
/// a handshake (DTLS or TLS) that has not completed `totalMilliseconds` after it started fails,
/// which bounds how long a half-open handshake holds a slot.
public struct HandshakeTimeouts: Equatable, Sendable {
    public var initialRetransmitMilliseconds: UInt32
    public var maximumRetransmitMilliseconds: UInt32
    public var totalMilliseconds: UInt64

    public init(initialRetransmitMilliseconds: UInt32, maximumRetransmitMilliseconds: UInt32, totalMilliseconds: UInt64) {
        precondition(initialRetransmitMilliseconds > 0 && initialRetransmitMilliseconds <= maximumRetransmitMilliseconds)
        precondition(totalMilliseconds > 0)
        self.initialRetransmitMilliseconds = initialRetransmitMilliseconds
        self.maximumRetransmitMilliseconds = maximumRetransmitMilliseconds
        self.totalMilliseconds = totalMilliseconds
    }

    /// RFC 6347 §4.2.4.1's values: 1 s initial, 60 s maximum; one minute in all.
    public static let rfc6347 = HandshakeTimeouts(
        initialRetransmitMilliseconds: LinkLimits.rfcInitialRetransmitMilliseconds,
        maximumRetransmitMilliseconds: LinkLimits.rfcMaximumRetransmitMilliseconds,
        totalMilliseconds: LinkLimits.defaultHandshakeTotalMilliseconds)
}
