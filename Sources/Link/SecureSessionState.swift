/// Where a session is. Only `handshaking` and `established` take input.
public enum SecureSessionState: Equatable {
    case handshaking
    case established
    /// Closed by the peer (close_notify) or by us (`close`).
    case closed
    case failed(LinkError)

    public var isActive: Bool { self == .handshaking || self == .established }
}

extension SecureSessionState {
    /// "handshaking", "established", "closed", "failed: <reason>".
    public var description: String {
        switch self {
        case .handshaking: return "handshaking"
        case .established: return "established"
        case .closed: return "closed"
        case .failed(let error): return "failed: \(error.description)"
        }
    }
}
