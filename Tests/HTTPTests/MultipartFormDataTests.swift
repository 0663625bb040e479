import HTTP
import TestSupport
import Testing

@Suite struct MultipartFormDataTests {
    @Test func curlStyleForm() throws {
        let csr: [UInt8] = [0x30, 0x82, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF]  // CRLF and "--" inside content
        let bytes = MultipartBody.make([
            ("username", nil, Array("alice".utf8)), ("password", nil, Array("pw".utf8)),
            ("csr", "application/pkcs10", csr),
        ], preamble: "ignored preamble", epilogue: "ignored epilogue")
        let boundary = try MultipartFormData.boundary(
            contentType: "multipart/form-data; boundary=\(MultipartBody.boundary)")
        let parts = try MultipartFormData.parse(body: bytes, boundary: boundary)
        #expect(parts.map { $0.name } == ["username", "password", "csr"])
        #expect(parts[2].content == csr)
        #expect(parts[2].contentType == "application/pkcs10")
        #expect(parts[2].filename == "req.der")
    }

    @Test func boundaryParameter() throws {
        #expect(try MultipartFormData.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b'c\"") == Array("a b'c".utf8))
        for bad in ["multipart/mixed; boundary=x", "multipart/form-data", "multipart/form-data; boundary=",
                    "multipart/form-data; boundary=\"ends with space \"", "multipart/form-data; boundary=" + String(repeating: "x", count: 71),
                    "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary=\"unterminated"] {
            #expect(throws: HTTPError.self) { try MultipartFormData.boundary(contentType: bad) }
        }
    }

    @Test(arguments: [
        "no boundary at all",
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",  // not closed
        "--B\r\n\r\nvalue\r\n--B--",  // no headers
        "--B\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--B--",  // no disposition
        "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nv\r\n--B--",  // no empty line
        "--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nBad Header\r\n\r\nv\r\n--B--",
    ])
    func malformed(text: String) {
        #expect(throws: HTTPError.self) { try MultipartFormData.parse(body: Array(text.utf8), boundary: Array("B".utf8)) }
    }

    @Test func limits() {
        let many = (0...HTTPLimits.maximumFormParts).map { ("f\($0)", String?.none, [UInt8]("x".utf8)) }
        #expect(throws: HTTPError.malformedForm("more than \(HTTPLimits.maximumFormParts) parts")) {
            try MultipartFormData.parse(body: MultipartBody.make(many), boundary: Array(MultipartBody.boundary.utf8))
        }
        let longHeader = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nX: " + String(repeating: "y", count: 2000) + "\r\n\r\nv\r\n--B--"
        #expect(throws: HTTPError.malformedForm("part headers too long")) {
            try MultipartFormData.parse(body: Array(longHeader.utf8), boundary: Array("B".utf8))
        }
    }
}
