import HTTP

// RFC 6940 §11.3 and §11.1: the enrollment server's answers as HTTP responses.
extension HTTPResponse {
    /// RFC 6940 §11.3: "The certificate MUST be returned as type application/pkix-cert ... with
    /// an HTTP status code of 200 OK."
    public static func certificate(_ der: [UInt8]) -> HTTPResponse {
        return HTTPResponse(
            status: .ok, headers: [("Content-Type", "application/pkix-cert"), ("Cache-Control", "no-store")], body: der)
    }

    /// RFC 6940 §11.3: errors as 403 with a text/plain token; other refusals (rate limits,
    /// HTTP errors) with their status and a short text.
    public static func refusal(_ refusal: EnrollmentRefusal) -> HTTPResponse {
        var headers = [(name: "Content-Type", value: "text/plain")]
        if let seconds = refusal.retryAfterSeconds { headers.append(("Retry-After", "\(seconds)")) }
        return HTTPResponse(status: refusal.status, headers: headers, body: Array(refusal.token.utf8))
    }

    /// RFC 6940 §11.1: the configuration document is application/p2p-overlay+xml.
    public static func configuration(_ document: [UInt8]) -> HTTPResponse {
        return HTTPResponse(status: .ok, headers: [("Content-Type", "application/p2p-overlay+xml")], body: document)
    }

    /// RFC 2585 §4.2: a DER CRL is application/pkix-crl.
    public static func revocationList(_ der: [UInt8]) -> HTTPResponse {
        return HTTPResponse(status: .ok, headers: [("Content-Type", "application/pkix-crl")], body: der)
    }
}
