/// What DigestAuthenticator.verify decided (RFC 3261 §22.2, RFC 2617 §3.2.1, §3.3).
public enum DigestVerdict: Equatable, Sendable {
    /// The credentials are right and fresh: the request is authenticated.
    case accepted
    /// The response was computed with the right password, but the nonce is too old (or was
    /// forgotten by the replay table): challenge again with stale=true (RFC 2617 §3.2.1:
    /// "the client may wish to simply retry the request with a new encrypted response,
    /// without reprompting the user").
    case stale
    /// Refused: answer 401/407 with a new challenge (or 403), and count a failure.
    case rejected(DigestRejection)
}

/// Why credentials were refused; each names the check that failed, for counters and logs.
public enum DigestRejection: Equatable, Sendable {
    case realmMismatch
    /// A nonce we did not issue (wrong MAC, wrong length, another realm or secret).
    case unknownNonce
    /// A nonce stamped in our future beyond the allowed skew.
    case nonceFromFuture
    /// digest-uri does not denote the Request-URI (RFC 2617 §3.2.2.5).
    case uriMismatch
    /// No qop=auth: we always offer it, and RFC 2617 §3.2.2 says a client MUST use it then.
    case qopMissing
    /// The credentials use an algorithm we do not offer, or the stored HA1 is of another.
    case algorithmUnavailable
    /// A nonce-count not above the highest seen with this nonce.
    case replayed
    /// request-digest differs: wrong password (or user name).
    case wrongResponse

    public var description: String {
        switch self {
        case .realmMismatch: return "realm mismatch"
        case .unknownNonce: return "nonce not issued by us"
        case .nonceFromFuture: return "nonce from the future"
        case .uriMismatch: return "digest uri is not the Request-URI"
        case .qopMissing: return "qop=auth missing"
        case .algorithmUnavailable: return "algorithm not available"
        case .replayed: return "nonce-count replayed"
        case .wrongResponse: return "wrong response"
        }
    }
}

/// What the verifier knows of the user's password (RFC 2617 §3.2.2.2: a server may store
/// HA1 = H(username:realm:password) instead of the password).
public enum DigestSecret: Sendable {
    case password([UInt8])
    /// Lower-case hex HA1 of `algorithm`.
    case ha1(DigestAlgorithm, [UInt8])
}
