/// A response an HTTP client received (the enrollment client, RFC 6940 §11.3).
public struct HTTPClientResponse: Equatable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func value(of name: String) -> String? {
        let request = HTTPRequest(method: "", target: "", version: "", headers: headers, body: [])
        return request.value(of: name)
    }

    public static func == (lhs: HTTPClientResponse, rhs: HTTPClientResponse) -> Bool {
        return lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map { $0.name } == rhs.headers.map { $0.name }
            && lhs.headers.map { $0.value } == rhs.headers.map { $0.value }
    }
}
