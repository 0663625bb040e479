/// An HTTP/1.1 response of a server (RFC 9112 §4), always with Content-Length and
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

    /// An error for a request that could not be parsed or routed.
    public static func error(_ status: HTTPStatus, allow: String? = nil) -> HTTPResponse {
        var headers = [(name: "Content-Type", value: "text/plain")]
        if let allow { headers.append(("Allow", allow)) }
        return HTTPResponse(status: status, headers: headers, body: Array((status.reason + "\n").utf8))
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        return lhs.serialized() == rhs.serialized()
    }
}
