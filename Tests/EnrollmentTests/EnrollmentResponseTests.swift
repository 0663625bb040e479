import Enrollment
import HTTP
import Testing

@Suite struct EnrollmentResponseTests {
    /// RFC 6940 §11.3: refusals as text/plain tokens, certificates as application/pkix-cert.
    @Test func responseSerialization() {
        let response = HTTPResponse.refusal(.rateLimited(retryAfter: 30))
        #expect(String(decoding: response.serialized(), as: UTF8.self)
            == "HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain\r\nRetry-After: 30\r\nContent-Length: 12\r\nConnection: close\r\n\r\nrate_limited")
        #expect(String(decoding: HTTPResponse.refusal(.badCSR).serialized(), as: UTF8.self).hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(String(decoding: HTTPResponse.certificate([1, 2]).serialized(), as: UTF8.self)
            .contains("Content-Type: application/pkix-cert\r\n"))
    }
}
