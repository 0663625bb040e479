/// Where a session is. Only `handshaking` and `established` take input.
public enum SecureSessionState: Equatable {
    case handshaking
    case established
    /// Closed by the peer (close_notify) or by us (`close`).
    case closed
    case failed(LinkError)

    public var isActive: Bool { self == .handshaking || self == .established }
}
