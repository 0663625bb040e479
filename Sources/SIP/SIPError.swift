/// Why a SIP message was refused. Every case names the header or field (as RFC 3261 names
/// it), so that a server can answer 400 with a reason phrase saying what was wrong
/// (RFC 3261 §8.2.2 ff., §21.4.1: "the reason phrase SHOULD identify the syntax problem in
/// more detail").
public enum SIPError: Error, Equatable, Sendable {
    /// The message is over SIPLimits.maximumMessageBytes (answered 513, RFC 3261 §21.5.14).
    case messageTooLarge(limit: Int)
    /// A line (start line or unfolded header) is over SIPLimits.maximumLineBytes.
    case lineTooLong(field: String)
    /// The header section has more fields, values or bytes than our limits.
    case tooManyHeaders(field: String, limit: Int)
    /// The header section does not end with an empty line, or a line has a bare CR or LF.
    case malformedFraming(String)
    /// The start line is neither Request-Line nor Status-Line (RFC 3261 §7.1, §7.2).
    case malformedStartLine(String)
    /// A SIP-Version other than SIP/2.0 (answered 505, RFC 3261 §8.2.2... §21.5.18).
    case unsupportedVersion
    /// A URI scheme other than sip: or sips: where we need one: in the Request-URI answered
    /// 416 (RFC 3261 §8.2.2.1); in a header (To, From, Contact, ...) 400, since 416 speaks of
    /// the Request-URI only (RFC 4475 §3.3.4 "unksm2": a registrar answers 400).
    case unsupportedURIScheme(field: String)
    /// A header value that does not follow its grammar (RFC 3261 §25.1); `reason` says how.
    case malformedHeader(field: String, reason: String)
    /// A header RFC 3261 §8.1.1 requires is missing.
    case missingHeader(field: String)
    /// A header that may appear once appears more often.
    case repeatedHeader(field: String)
    /// Content-Length is more than the bytes after the header section (RFC 3261 §18.3).
    case contentLengthMismatch(declared: Int, actual: Int)

    /// The header or field the error is about ("start line", "Via", "Content-Length", ...).
    public var field: String {
        switch self {
        case .messageTooLarge: return "message"
        case .lineTooLong(let field), .tooManyHeaders(let field, _), .unsupportedURIScheme(let field),
            .malformedHeader(let field, _), .missingHeader(let field), .repeatedHeader(let field):
            return field
        case .malformedFraming: return "message"
        case .malformedStartLine: return "start line"
        case .unsupportedVersion: return "SIP-Version"
        case .contentLengthMismatch: return "Content-Length"
        }
    }

    /// The status code a server answers a request with this error (RFC 3261 §21).
    public var statusCode: Int {
        switch self {
        case .messageTooLarge: return 513
        case .unsupportedVersion: return 505
        case .unsupportedURIScheme(let field): return field == "Request-URI" ? 416 : 400
        default: return 400
        }
    }

    /// A reason phrase for the response: only our own words and the field's name, never bytes
    /// of the request (they could carry CR LF into our response).
    public var reasonPhrase: String {
        switch self {
        case .messageTooLarge: return "Message Too Large"
        case .unsupportedVersion: return "Version Not Supported"
        case .unsupportedURIScheme(let field):
            return field == "Request-URI" ? "Unsupported URI Scheme" : "Bad Request (unsupported URI scheme in " + field + ")"
        case .contentLengthMismatch: return "Bad Request (Content-Length does not match the body)"
        case .missingHeader(let field): return "Bad Request (missing " + field + ")"
        case .repeatedHeader(let field): return "Bad Request (repeated " + field + ")"
        default: return "Bad Request (malformed " + field + ")"
        }
    }

    /// One line for logs.
    public var description: String {
        switch self {
        case .messageTooLarge(let limit): return "message over \(limit) bytes"
        case .lineTooLong(let field): return "\(field): line over \(SIPLimits.maximumLineBytes) bytes"
        case .tooManyHeaders(let field, let limit): return "\(field): over the limit of \(limit)"
        case .malformedFraming(let reason): return "framing: \(reason)"
        case .malformedStartLine(let reason): return "start line: \(reason)"
        case .unsupportedVersion: return "SIP-Version is not SIP/2.0"
        case .unsupportedURIScheme(let field): return "\(field): URI scheme is not sip or sips"
        case .malformedHeader(let field, let reason): return "\(field): \(reason)"
        case .missingHeader(let field): return "missing \(field)"
        case .repeatedHeader(let field): return "repeated \(field)"
        case .contentLengthMismatch(let declared, let actual): return "Content-Length \(declared) but \(actual) bytes of body"
        }
    }
}
