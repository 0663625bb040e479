import Enrollment
import HTTP
import TestSupport
import Testing

/// The enrollment form's fields (RFC 6940 §11.3) over the multipart parts HTTP parses.
@Suite struct EnrollmentRequestTests {
    @Test func curlStyleForm() throws {
        let csr: [UInt8] = [0x30, 0x82, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF]  // CRLF and "--" inside content
        let bytes = MultipartBody.make([
            ("username", nil, Array("alice".utf8)), ("password", nil, Array("pw".utf8)),
            ("csr", "application/pkcs10", csr),
        ])
        let parts = try MultipartFormData.parse(body: bytes, boundary: Array(MultipartBody.boundary.utf8))
        let request = try EnrollmentRequest(parts: parts)
        #expect(request.username == Array("alice".utf8))
        #expect(request.csr == csr)
        #expect(request.csrContentType == "application/pkcs10")
        #expect(request.nodeIds == nil)
    }

    /// HTTP's form errors reach the enrollment server as EnrollmentError.malformedForm.
    @Test func formErrorsFromHTTP() {
        let request = HTTPRequest(
            method: "POST", target: "/enroll", version: "HTTP/1.1",
            headers: [("Content-Type", "multipart/form-data; boundary=B")], body: Array("no boundary at all".utf8))
        #expect(throws: EnrollmentError.malformedForm("no boundary in the body")) { try EnrollmentRequest(http: request) }
        let noType = HTTPRequest(method: "POST", target: "/enroll", version: "HTTP/1.1", headers: [], body: [])
        #expect(throws: EnrollmentError.malformedForm("no Content-Type")) { try EnrollmentRequest(http: noType) }
    }

    @Test func formFields() throws {
        let repeated = MultipartBody.make([("username", nil, [1]), ("username", nil, [2])])
        let parts = try MultipartFormData.parse(body: repeated, boundary: Array(MultipartBody.boundary.utf8))
        #expect(throws: EnrollmentError.malformedForm("form field username sent twice")) { try EnrollmentRequest(parts: parts) }
        let unknown = try MultipartFormData.parse(
            body: MultipartBody.make([("color", nil, [1])]), boundary: Array(MultipartBody.boundary.utf8))
        #expect(throws: EnrollmentError.malformedForm("unexpected form field color")) { try EnrollmentRequest(parts: unknown) }
    }
}
