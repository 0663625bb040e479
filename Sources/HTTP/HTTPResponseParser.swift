import Wire

/// The client side of the enrollment exchange: a strict, bounded, incremental HTTP/1.1
/// response parser (RFC 9112 §4). It reads Content-Length bodies only (the enrollment server
/// always sends one) up to `maximumBodyBytes`.
public struct HTTPResponseParser {
    public enum Result: Equatable {
        case needMore
        case response(HTTPClientResponse)
        case failure(String)
    }

    let maximumBodyBytes: Int
    var buffer: [UInt8] = []
    var finished: Result? = nil

    /// The default fits the largest CRL and configuration document we accept.
    public init(maximumBodyBytes: Int = 512 * 1024) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    public static func parse(_ bytes: [UInt8], maximumBodyBytes: Int = 512 * 1024) -> Result {
        var parser = HTTPResponseParser(maximumBodyBytes: maximumBodyBytes)
        return parser.feed(bytes)
    }

    public mutating func feed(_ bytes: [UInt8]) -> Result {
        if let finished { return finished }
        buffer.append(contentsOf: bytes)
        let result = advance()
        if result != .needMore {
            finished = result
            buffer = []
        }
        return result
    }

    mutating func advance() -> Result {
        let headLimit = HTTPLimits.maximumRequestLineBytes + HTTPLimits.maximumHeaderSectionBytes
        guard let end = MultipartFormData.find([0x0D, 0x0A, 0x0D, 0x0A], in: buffer, from: 0) else {
            return buffer.count > headLimit ? .failure("response head too large") : .needMore
        }
        guard end <= headLimit else { return .failure("response head too large") }
        let lines = MultipartFormData.split(lines: Array(buffer[0..<end]))
        guard lines.count - 1 <= HTTPLimits.maximumHeaderFields,
            let status = HTTPResponseParser.statusCode(lines[0])
        else { return .failure("malformed status line or too many header fields") }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard !line.contains(0x0D), !line.contains(0x0A), let field = HTTPRequestParser.parseField(ArraySlice(line)) else {
                return .failure("malformed header field")
            }
            headers.append(field)
        }
        let probe = HTTPClientResponse(status: status, headers: headers, body: [])
        guard probe.value(of: "Transfer-Encoding") == nil, let lengthText = probe.value(of: "Content-Length"),
            let length = HTTPResponseParser.contentLength(Array(lengthText.utf8)), length <= Int64(maximumBodyBytes)
        else { return .failure("response without a usable Content-Length") }
        let start = end + 4
        guard buffer.count - start >= Int(length) else { return .needMore }
        return .response(HTTPClientResponse(status: status, headers: headers, body: Array(buffer[start..<(start + Int(length))])))
    }

    /// Content-Length = 1*DIGIT (RFC 9110 §8.6), at most 12 digits here: the body limit is far
    /// below, and 12 digits fit Int64 with room.
    static func contentLength(_ digits: [UInt8]) -> Int64? {
        DecimalDigits.value(digits, maximumDigits: 12)
    }

    /// status-line = HTTP-version SP status-code SP [ reason-phrase ]
    static func statusCode(_ line: [UInt8]) -> Int? {
        guard line.count >= 12, line.starts(with: Array("HTTP/1.".utf8)), line[8] == 0x20,
            line.count == 12 || line[12] == 0x20
        else { return nil }
        let digits = line[9..<12]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (100...599).contains(code) ? code : nil
    }
}
