import Link
import Node

/// The three UDP sockets of a peer.
public enum PeerSocket: Equatable, Sendable {
    /// Overlay links (DTLS, RELOAD framing, RFC 6940 §6.6).
    case overlay
    /// SIP connections between peers (AppAttach, RFC 6940 §6.5.2; RFC 7904 §5.1).
    case peerSIP
    /// The phones' SIP (RFC 3261 over UDP).
    case phones
}

/// What the peer core asks its driver to do, in order.
public enum PeerOutput: Equatable {
    /// Send `bytes` from `socket` to `to`.
    case transmit(PeerSocket, [UInt8], to: PeerAddress)
    case log(LogLevel, String)
    /// The answer to a control request: exit status (0 success, 1 failed, 2 usage) and lines.
    case controlAnswer(connection: Int, status: Int32, lines: [String])
    /// An NSS key log line (`--keylog FILE`).
    case keyLog(String)
}

/// One request of the control interface (`p2psip status`, `put`, ...): the words of its line,
/// and the connection (or batch request) its answer goes to.
public struct ControlRequest: Equatable, Sendable {
    public let connection: Int
    public let words: [String]

    public init(connection: Int, words: [String]) {
        self.connection = connection
        self.words = words
    }
}
