import HTTP
import Testing

@Suite struct HTTPRequestParserTests {
    static let post = "POST /enroll HTTP/1.1\r\nHost: ca.example\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"

    func parse(_ text: String) -> HTTPParseResult {
        return HTTPRequestParser.parse(Array(text.utf8))
    }

    func status(_ text: String) -> Int? {
        if case .failure(let status, _) = parse(text) { return status.code }
        return nil
    }

    @Test func wholeRequest() throws {
        guard case .request(let request, let consumed) = parse(HTTPRequestParserTests.post + "GET / HTTP/1.1") else {
            Issue.record("no request")
            return
        }
        #expect(request.method == "POST")
        #expect(request.target == "/enroll")
        #expect(request.version == "HTTP/1.1")
        #expect(request.value(of: "content-length") == "5")
        #expect(request.value(of: "HOST") == "ca.example")
        #expect(request.body == Array("hello".utf8))
        #expect(consumed == HTTPRequestParserTests.post.utf8.count)
    }

    @Test func byteAtATimeGivesTheSameRequest() {
        let bytes = Array(HTTPRequestParserTests.post.utf8)
        var parser = HTTPRequestParser()
        for (index, byte) in bytes.enumerated() {
            let result = parser.feed([byte])
            if index < bytes.count - 1 {
                #expect(result == .needMore, "at byte \(index)")
            } else {
                #expect(result == HTTPRequestParser.parse(bytes))
            }
        }
        // After the answer, more bytes change nothing.
        #expect(parser.feed(Array("junk".utf8)) == HTTPRequestParser.parse(bytes))
    }

    @Test func getWithoutBodyAndHTTP10() {
        guard case .request(let request, _) = parse("GET /crl HTTP/1.1\r\nHost: x\r\n\r\n") else {
            Issue.record("no request")
            return
        }
        #expect(request.body.isEmpty)
        #expect(request.path == "/crl")
        if case .request(let old, _) = parse("GET /crl?x=1 HTTP/1.0\r\n\r\n") {
            #expect(old.path == "/crl")
        } else {
            Issue.record("HTTP/1.0 without Host refused")
        }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 400),  // no Host
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),  // obs-fold
        ("GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400),  // bare CR
        ("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400),  // bare LF
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),  // space before colon
        ("GET / HTTP/1.1\r\nHost: a\u{1}\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("PUT / HTTP/1.1\r\nHost: a\r\n\r\n", 405),
        ("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", 405),
        ("BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\n\r\n", 411),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc", 501),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\n", 400),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n", 413),
        ("POST /enroll HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 413),
        ("\u{16}\u{3}\u{1}\u{2}\u{0}\u{1}", 400),  // a TLS ClientHello
        ("\r\n\r\n", 400),
    ])
    func refused(text: String, code: Int) {
        #expect(status(text) == code, "\(text.debugDescription)")
    }

    @Test func limits() {
        let longTarget = "GET /" + String(repeating: "a", count: 3000)
        #expect(status(longTarget) == 414)
        let manyHeaders = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<40).map { "X-\($0): 1\r\n" }.joined() + "\r\n"
        #expect(status(manyHeaders) == 431)
        let bigHeader = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 9000) + "\r\n\r\n"
        #expect(status(bigHeader) == 431)
        let unterminated = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 11000)
        #expect(status(unterminated) == 431)
        let body = "POST /enroll HTTP/1.1\r\nHost: a\r\nContent-Length: 65536\r\n\r\n" + String(repeating: "z", count: 65536)
        if case .request(let request, _) = parse(body) {
            #expect(request.body.count == 65536)
        } else {
            Issue.record("64 KiB body refused")
        }
        #expect(parse("POST /enroll HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nshort") == .needMore)
    }

    /// Random bytes never trap, and every answer is one of the three.
    @Test func noiseNeverTraps() {
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 300) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            _ = HTTPRequestParser.parse(Array("POST /enroll HTTP/1.1\r\n".utf8) + bytes)
            _ = HTTPRequestParser.parse(bytes)
        }
    }

    /// Content-Length and "Connection: close" on every response: one request per connection.
    @Test func responseSerialization() {
        let response = HTTPResponse.error(.methodNotAllowed, allow: "GET, POST")
        #expect(String(decoding: response.serialized(), as: UTF8.self)
            == "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain\r\nAllow: GET, POST\r\nContent-Length: 19\r\n"
            + "Connection: close\r\n\r\nMethod Not Allowed\n")
        #expect(HTTPResponse(status: .ok, body: [1, 2]).serialized()
            == Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n".utf8) + [1, 2])
    }
}
