/// One parsed HTTP/1.1 request (RFC 9112): method, origin-form target, version, header
/// fields in order, and the body (Content-Length bytes).
public struct HTTPRequest: Equatable {
    public let method: String
    /// The request-target in origin-form: "/enroll", "/crl?x=1".
    public let target: String
    /// "HTTP/1.1" or "HTTP/1.0".
    public let version: String
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(method: String, target: String, version: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The path of the target (before any "?").
    public var path: String {
        let bytes = Array(target.utf8)
        guard let question = bytes.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return String(decoding: bytes[..<question], as: UTF8.self)
    }

    /// Values of the header fields named `name` (field names are case-insensitive).
    public func values(of name: String) -> [String] {
        let wanted = HTTPRequest.lowercased(name)
        return headers.filter { HTTPRequest.lowercased($0.name) == wanted }.map { $0.value }
    }

    /// The single value of `name`; nil when absent or repeated.
    public func value(of name: String) -> String? {
        let found = values(of: name)
        return found.count == 1 ? found[0] : nil
    }

    package static func lowercased(_ text: String) -> String {
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        return lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version
            && lhs.headers.map { $0.name } == rhs.headers.map { $0.name }
            && lhs.headers.map { $0.value } == rhs.headers.map { $0.value } && lhs.body == rhs.body
    }
}
