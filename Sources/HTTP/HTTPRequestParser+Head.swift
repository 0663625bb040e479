extension HTTPRequestParser {
    enum HeadResult {
        case success(Head, length: Int)
        case failure(HTTPStatus, reason: String)
    }

    /// Methods of RFC 9110 §9 that we know but do not serve: 405. Others: 501.
    static let knownMethods = ["HEAD", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// request-line CRLF *( field-line CRLF ), without the final empty line (RFC 9112 §2.1).
    func parseHead(_ head: [UInt8]) -> HeadResult {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < head.count {
            if head[index] == 0x0A { return .failure(.badRequest, reason: "bare LF") }
            if head[index] == 0x0D {
                guard index + 1 < head.count, head[index + 1] == 0x0A else { return .failure(.badRequest, reason: "bare CR") }
                lines.append(head[start..<index])
                index += 2
                start = index
                continue
            }
            index += 1
        }
        lines.append(head[start..<head.count])
        guard let requestLine = lines.first else { return .failure(.badRequest, reason: "empty request") }
        var parsed = Head()
        if let failure = parseRequestLine(requestLine, into: &parsed) { return failure }
        guard lines.count - 1 <= HTTPLimits.maximumHeaderFields else {
            return .failure(.headerFieldsTooLarge, reason: "more than \(HTTPLimits.maximumHeaderFields) header fields")
        }
        guard head.count - requestLine.count <= HTTPLimits.maximumHeaderSectionBytes else {
            return .failure(.headerFieldsTooLarge, reason: "header section over the limit")
        }
        for line in lines.dropFirst() {
            switch HTTPRequestParser.parseField(line) {
            case .some(let field): parsed.headers.append(field)
            case .none: return .failure(.badRequest, reason: "malformed header field")
            }
        }
        return checkFields(parsed)
    }

    /// request-line = method SP request-target SP HTTP-version
    func parseRequestLine(_ line: ArraySlice<UInt8>, into head: inout Head) -> HeadResult? {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(HTTPRequestParser.isTokenCharacter) else {
            return .failure(.badRequest, reason: "malformed request line")
        }
        head.method = String(decoding: parts[0], as: UTF8.self)
        let target = parts[1]
        guard target.first == UInt8(ascii: "/"), target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.badRequest, reason: "request-target is not in origin-form")
        }
        head.target = String(decoding: target, as: UTF8.self)
        let version = Array(parts[2])
        guard version.count == 8, Array(version[0..<5]) == Array("HTTP/".utf8), version[6] == UInt8(ascii: "."),
            (0x30...0x39).contains(version[5]), (0x30...0x39).contains(version[7])
        else { return .failure(.badRequest, reason: "malformed HTTP version") }
        head.version = String(decoding: version, as: UTF8.self)
        guard head.version == "HTTP/1.1" || head.version == "HTTP/1.0" else {
            return .failure(.versionNotSupported, reason: "\(head.version) is not served")
        }
        if head.method == "GET" || head.method == "POST" { return nil }
        if HTTPRequestParser.knownMethods.contains(head.method) {
            return .failure(.methodNotAllowed, reason: "method \(head.method) is not served")
        }
        return .failure(.notImplemented, reason: "unknown method")
    }

    /// field-line = field-name ":" OWS field-value OWS; no obs-fold, no whitespace before the
    /// colon, no control characters but HTAB in the value.
    static func parseField(_ line: ArraySlice<UInt8>) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else { return nil }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        guard value.allSatisfy({ !isControl($0) || $0 == 0x09 }) else { return nil }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Host, Transfer-Encoding and Content-Length rules (RFC 9112 §3.2, §6).
    func checkFields(_ head: Head) -> HeadResult {
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers, body: [])
        if head.version == "HTTP/1.1" && request.values(of: "Host").count != 1 {
            return .failure(.badRequest, reason: "HTTP/1.1 request without exactly one Host")
        }
        if !request.values(of: "Transfer-Encoding").isEmpty {
            return .failure(.notImplemented, reason: "Transfer-Encoding is not supported (send Content-Length)")
        }
        let lengths = request.values(of: "Content-Length")
        guard lengths.count <= 1 else { return .failure(.badRequest, reason: "repeated Content-Length") }
        guard let text = lengths.first else {
            if head.method == "POST" { return .failure(.lengthRequired, reason: "POST without Content-Length") }
            return .success(head, length: 0)
        }
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return .failure(.badRequest, reason: "malformed Content-Length")
        }
        // Compared before it is a number: 9 digits fit Int on 32-bit boards too.
        guard digits.count <= 9 else { return .failure(.contentTooLarge, reason: "body of \(digits.count) digits of bytes") }
        let length = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard length <= HTTPLimits.maximumBodyBytes else {
            return .failure(.contentTooLarge, reason: "body of \(length) bytes")
        }
        return .success(head, length: length)
    }
}
