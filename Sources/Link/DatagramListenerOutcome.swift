/// What the owner of a DatagramListener must do with one datagram from an unknown address.
public enum DatagramListenerOutcome {
    /// Send these datagrams (a HelloVerifyRequest, RFC 6347 §4.2.1) back to the address.
    /// The listener kept nothing about it.
    case reply([[UInt8]])
    /// The address proved it receives at its address (valid cookie): a handshake started. Keep
    /// the session under this address (the connection table) and perform the actions (the
    /// server's first flight). It holds a half-open slot until its handshake ends.
    case accepted(SecureSession, [SecureSessionAction])
    /// Every half-open slot is taken and this address's half-open handshake (the oldest, old
    /// enough) gives way: end it, then pass the same datagram again. Only with `mayEvict`.
    case makeRoom(PeerAddress)
    /// Nothing to do; counted.
    case dropped(DatagramListenerDropReason)
}

public enum DatagramListenerDropReason: Equatable {
    case notClientHello
    case halfOpenLimit
    /// The host holds `HandshakeSourceLimits.halfOpenPerSource` half-open handshakes.
    case sourceLimit
    /// The host's token bucket of new handshakes is empty.
    case sourceRate
    /// The address is banned after its certificate was refused.
    case banned
    case handshakeFailed(LinkError)
}
