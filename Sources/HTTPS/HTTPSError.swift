/// Why an HTTPS server could not start, or why an HTTPS exchange failed. Every failure names
/// the step it happened in ("connect to 127.0.0.1:8443", "TLS handshake", "response"), so a
/// user reads what was tried and what went wrong.
public enum HTTPSError: Error, Equatable {
    /// The server or the exchange could not be set up (socket, TLS configuration, URL).
    case setup(String)
    /// The step did not finish within the time limit.
    case timedOut(step: String, milliseconds: UInt64)
    /// The step failed.
    case failed(step: String, reason: String)

    public var description: String {
        switch self {
        case .setup(let what): return what
        case .timedOut(let step, let milliseconds): return "\(step): timed out (limit \(milliseconds) ms)"
        case .failed(let step, let reason): return "\(step): \(reason)"
        }
    }
}
