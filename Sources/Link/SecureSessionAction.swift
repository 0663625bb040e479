/// What the owner of a session must do after a call, in order. The session does no I/O.
public enum SecureSessionAction: Equatable {
    /// Send these bytes to the peer: one datagram (DTLS), or the next bytes of the stream (TLS).
    case transmit([UInt8])
    /// The handshake completed; the peer proved it holds the key of this chain's first
    /// certificate. When the configuration defers trust to its owner, the owner must check the
    /// chain now (`PeerCertificateChain.verifiedByTrustAnchors` says which).
    case handshakeCompleted(PeerCertificateChain)
    /// Application data from the peer, authenticated and decrypted, each record once.
    case plaintext([UInt8])
    /// An NSS key log line for the `--keylog` file (configurations with key logging only).
    case keyLogLine(String)
    /// The peer closed the session (close_notify); nothing more will arrive.
    case closed
    /// The session failed and is over; any alert for the peer is in a `transmit` before this.
    case failed(LinkError)
}
