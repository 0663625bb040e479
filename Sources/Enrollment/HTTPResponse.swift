/// An HTTP/1.1 response of the enrollment server (RFC 9112 §4), always with Content-Length and
/// "Connection: close": the server answers one request per connection.
public struct HTTPResponse: Equatable {
    public var status: HTTPStatus
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The bytes to send.
    public func serialized() -> [UInt8] {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

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

    /// An error for a request that could not be parsed or routed.
    public static func error(_ status: HTTPStatus, allow: String? = nil) -> HTTPResponse {
        var headers = [(name: "Content-Type", value: "text/plain")]
        if let allow { headers.append(("Allow", allow)) }
        return HTTPResponse(status: status, headers: headers, body: Array((status.reason + "\n").utf8))
    }

    /// RFC 6940 §11.1: the configuration document is application/p2p-overlay+xml.
    public static func configuration(_ document: [UInt8]) -> HTTPResponse {
        return HTTPResponse(status: .ok, headers: [("Content-Type", "application/p2p-overlay+xml")], body: document)
    }

    /// RFC 2585 §4.2: a DER CRL is application/pkix-crl.
    public static func revocationList(_ der: [UInt8]) -> HTTPResponse {
        return HTTPResponse(status: .ok, headers: [("Content-Type", "application/pkix-crl")], body: der)
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        return lhs.serialized() == rhs.serialized()
    }
}
