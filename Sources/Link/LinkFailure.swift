/// Why an overlay link ended without a close.
public enum LinkFailure: Equatable {
    /// The DTLS session failed: its handshake (certificate refused, alert, timeout, the
    /// handshake limit), a protocol error, or the peer started over from its address.
    case session(LinkError)
    /// RFC 6940 §6.6.3.1: a message went out five times without an ACK; the link was closed
    /// ("the sending node SHOULD close the connection").
    case retransmissionsExhausted
    /// Application connections (`AppLinkManager`): a datagram that expects a reply got
    /// nothing back within `AppLinkConfiguration.replyTimeoutMilliseconds`.
    case noReply

    public var description: String {
        switch self {
        case .session(let error): return error.description
        case .retransmissionsExhausted: return "no ACK after \(LinkLimits.rfcTransmissionsPerMessage) transmissions"
        case .noReply: return "no reply from the other end"
        }
    }
}
