import HTTP
/// Why the enrollment server did not issue a certificate, and how it answers.
///
/// RFC 6940 §11.3: "Certificate processing errors SHOULD result in an HTTP return code of 403
/// Forbidden, along with a body of type text/plain and body that consists of one of the
/// tokens": failed_authentication, username_not_available, Node-IDs_not_available, bad_CSR.
/// Rate limiting is not a certificate error: it is 429 (RFC 6585) with Retry-After.
public struct EnrollmentRefusal: Equatable, Sendable {
    public let status: HTTPStatus
    /// The text/plain body: one of the RFC tokens, or our own for non-403 answers.
    public let token: String
    public let retryAfterSeconds: Int64?

    public static let failedAuthentication = EnrollmentRefusal(status: .forbidden, token: "failed_authentication", retryAfterSeconds: nil)
    public static let usernameNotAvailable = EnrollmentRefusal(status: .forbidden, token: "username_not_available", retryAfterSeconds: nil)
    public static let nodeIdsNotAvailable = EnrollmentRefusal(status: .forbidden, token: "Node-IDs_not_available", retryAfterSeconds: nil)
    public static let badCSR = EnrollmentRefusal(status: .forbidden, token: "bad_CSR", retryAfterSeconds: nil)
    /// A renewal asked for before the certificate's renewal window opens, or a second time
    /// for the same certificate (our token, not one of §11.3's: the request was understood
    /// and is refused for now).
    public static let notYetRenewable = EnrollmentRefusal(status: .forbidden, token: "not_yet_renewable", retryAfterSeconds: nil)
    public static let internalFailure = EnrollmentRefusal(status: .internalServerError, token: "internal_error", retryAfterSeconds: nil)

    public static func rateLimited(retryAfter seconds: Int64) -> EnrollmentRefusal {
        return EnrollmentRefusal(status: .tooManyRequests, token: "rate_limited", retryAfterSeconds: max(1, seconds))
    }

    /// A request that is not an enrollment form at all.
    public static func badRequest(_ status: HTTPStatus) -> EnrollmentRefusal {
        return EnrollmentRefusal(status: status, token: "bad_request", retryAfterSeconds: nil)
    }
}
