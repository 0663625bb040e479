/// A strict, bounded, incremental HTTP/1.1 request parser (RFC 9112) for the enrollment
/// server: feed it bytes as they arrive; it answers needMore until it has a whole request or
/// finds a reason to refuse it. It never holds more than the request line, header section
/// and body limits of HTTPLimits.
///
/// Refused, with the status to answer: a request line over the limit (414), header fields
/// over the limits (431), a body over 64 KiB (413), POST without Content-Length (411),
/// any Transfer-Encoding (501: we read Content-Length bodies only), methods other than GET and
/// POST (405 for the methods of RFC 9110, 501 for others), versions other than HTTP/1.0 and
/// HTTP/1.1 (505), and as 400: obs-fold continuation lines, a bare CR or LF, control
/// characters, whitespace before the colon, a missing or repeated Host (HTTP/1.1), repeated or
/// non-numeric Content-Length, targets not in origin-form.
public struct HTTPRequestParser {
    enum State {
        case head
        case body(Head, length: Int, start: Int)
        case done(HTTPParseResult)
    }

    struct Head {
        var method = ""
        var target = ""
        var version = ""
        var headers: [(name: String, value: String)] = []
    }

    var buffer: [UInt8] = []
    var state = State.head
    /// Where the search for the end of the header section resumes.
    var scanned = 0

    public init() {}

    /// The single entry point for a whole byte string (tests, fuzzing): parses `bytes` as if
    /// they had arrived at once.
    public static func parse(_ bytes: [UInt8]) -> HTTPParseResult {
        var parser = HTTPRequestParser()
        return parser.feed(bytes)
    }

    /// Adds bytes that arrived and says where the request stands. After a request or a
    /// failure, the parser keeps answering the same.
    public mutating func feed(_ bytes: [UInt8]) -> HTTPParseResult {
        if case .done(let result) = state { return result }
        buffer.append(contentsOf: bytes)
        let result = advance()
        if case .needMore = result { return result }
        state = .done(result)
        buffer = []
        return result
    }

    mutating func advance() -> HTTPParseResult {
        if case .head = state {
            if let failure = checkPartialHead() { return failure }
            guard let end = headEnd() else {
                if buffer.count > HTTPLimits.maximumRequestLineBytes + HTTPLimits.maximumHeaderSectionBytes {
                    return .failure(.headerFieldsTooLarge, reason: "header section over the limit")
                }
                return .needMore
            }
            switch parseHead(Array(buffer[0..<end])) {
            case .failure(let status, let reason):
                return .failure(status, reason: reason)
            case .success(let head, let length):
                state = .body(head, length: length, start: end + 4)
            }
        }
        guard case .body(let head, let length, let start) = state else { return .needMore }
        guard buffer.count - start >= length else { return .needMore }
        let request = HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: head.headers,
            body: Array(buffer[start..<(start + length)]))
        return .request(request, consumed: start + length)
    }

    /// The offset of the CRLF CRLF that ends the header section, if it arrived.
    mutating func headEnd() -> Int? {
        var index = max(scanned, 0)
        while index + 3 < buffer.count {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        scanned = max(0, buffer.count - 3)
        return nil
    }

    /// Cheap checks while the head is still arriving, so that garbage (a TLS handshake sent in
    /// the clear, binary noise) is refused at once instead of at the size limit.
    func checkPartialHead() -> HTTPParseResult? {
        var index = 0
        while index < buffer.count, HTTPRequestParser.isTokenCharacter(buffer[index]) { index += 1 }
        if index == buffer.count {
            return index > 32 ? .failure(.notImplemented, reason: "method name too long") : nil
        }
        if index == 0 || buffer[index] != 0x20 { return .failure(.badRequest, reason: "request line does not start with a method") }
        let lineEnd = buffer.firstIndex(of: 0x0A) ?? buffer.count
        if lineEnd > HTTPLimits.maximumRequestLineBytes {
            return .failure(.uriTooLong, reason: "request line over \(HTTPLimits.maximumRequestLineBytes) bytes")
        }
        for position in index..<lineEnd where HTTPRequestParser.isControl(buffer[position]) && buffer[position] != 0x0D {
            return .failure(.badRequest, reason: "control character in the request line")
        }
        return nil
    }

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" /
    /// "|" / "~" / DIGIT / ALPHA (RFC 9110 §5.6.2)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    static func isControl(_ byte: UInt8) -> Bool {
        return byte < 0x20 || byte == 0x7F
    }
}
