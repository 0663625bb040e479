import Reload

/// Why `send` or `connect` did nothing. The caller decides: wait and retry, route elsewhere,
/// or answer with an error; nothing was queued.
public enum LinkRefusal: Error, Equatable {
    /// The link's send queue has no room for the message (all of its fragments); counted in
    /// `ReliabilityCounters.queueRefusals`.
    case queueFull
    /// The link is closed or failed.
    case linkDown
    /// Over max-message-size (RFC 6940 §6.6), or too large for a frame and not fragmentable
    /// (§6.7: each fragment must hold the whole header and 256 bytes of body).
    case messageTooLarge(length: Int, limit: Int)
    /// Too large for one frame, and its forwarding header, needed to fragment it, does not decode.
    case malformedMessage(ReloadError)
    /// `LinkManager`: no link to that address.
    case noLink
    /// `LinkManager.connect`: a link to that address exists (or is being set up).
    case alreadyLinked
    /// `LinkManager.connect`: max-links links exist.
    case tooManyLinks
    /// `LinkManager.connect`: max-handshakes handshakes are in progress.
    case tooManyHandshakes
    /// `LinkManager.connect`: the DTLS session could not be made.
    case sessionSetup(LinkError)

    public var description: String {
        switch self {
        case .queueFull: return "send queue full"
        case .linkDown: return "link closed or failed"
        case .messageTooLarge(let length, let limit): return "message of \(length) bytes (limit \(limit))"
        case .malformedMessage(let error): return "cannot fragment: \(error.description)"
        case .noLink: return "no link to that address"
        case .alreadyLinked: return "already linked to that address"
        case .tooManyLinks: return "link table full (max-links)"
        case .tooManyHandshakes: return "too many handshakes in progress (max-handshakes)"
        case .sessionSetup(let error): return "session setup: \(error.description)"
        }
    }
}
