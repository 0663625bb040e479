/// Where an overlay link is. Only `handshaking` and `established` take input; the other two
/// are final, and the link's owner drops the link.
public enum OverlayLinkState: Equatable {
    case handshaking
    case established
    case closed
    case failed(LinkFailure)

    public var isActive: Bool { self == .handshaking || self == .established }

    /// "handshaking", "established", "closed", "failed: <reason>".
    public var description: String {
        switch self {
        case .handshaking: return "handshaking"
        case .established: return "established"
        case .closed: return "closed"
        case .failed(let failure): return "failed: \(failure.description)"
        }
    }
}
