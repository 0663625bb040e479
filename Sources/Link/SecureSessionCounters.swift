/// What a session dropped at its bounds (at a limit: drop and count).
public struct SecureSessionCounters: Equatable, Sendable {
    /// Incoming datagrams not given to mbedTLS: larger than `LinkLimits.maximumDatagramBytes`
    /// or arriving when the inbound queue was full.
    public var datagramsDropped: UInt64 = 0
    /// Incoming datagrams that were not whole DTLS records (`DatagramRecords`), discarded
    /// before mbedTLS (RFC 6347 §4.1.2.7).
    public var datagramsMalformed: UInt64 = 0
    /// `receive` calls after the session ended.
    public var inputAfterEnd: UInt64 = 0
    /// DTLS flights retransmitted because the retransmission timer expired.
    public var retransmissionTimeouts: UInt64 = 0
    /// Peer chains the check inside the handshake refused (`HandshakeCertificateCheck`).
    public var certificatesRefusedInHandshake: UInt64 = 0

    public init() {}
}
