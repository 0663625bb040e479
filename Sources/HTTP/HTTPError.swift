/// Why HTTP content was refused. Requests themselves are results, not errors (HTTPParseResult):
/// a server answers them with a status.
public enum HTTPError: Error, Equatable {
    /// multipart/form-data that is malformed or over a limit (RFC 7578, RFC 2046 §5.1).
    case malformedForm(String)

    public var description: String {
        switch self {
        case .malformedForm(let what): return "malformed form: \(what)"
        }
    }
}
