import Config
import Crypto
import Enrollment
import Foundation
import HTTP
import Testing
import Wire
import TestSupport

@Suite struct EnrollmentServiceTests {
    func service(_ fixture: EnrollmentFixture) throws -> EnrollmentService {
        var configuration = OverlayConfiguration(instanceName: EnrollmentFixture.overlay)
        configuration.rootCertificates = [fixture.root.certificate.der]
        configuration.enrollmentServers = ["https://overlay.example.org/enroll"]
        let crl = try fixture.authority.revocationList(now: EnrollmentFixture.now(), validitySeconds: 86_400, using: fixture.random)
        return EnrollmentService(
            authority: fixture.authority, configurationDocument: OverlayConfigurationWriter.document([configuration]),
            revocationList: crl.der)
    }

    func answer(_ service: EnrollmentService, _ fixture: EnrollmentFixture, _ text: [UInt8]) -> EnrollmentService.Answer? {
        return service.answer(HTTPRequestParser.parse(text), source: [1, 2, 3, 4], now: EnrollmentFixture.now(), using: fixture.random)
    }

    static func form(_ fields: [(String, String?, [UInt8])], accept: String = "application/pkix-cert") -> [UInt8] {
        let body = MultipartBody.make(fields)
        return Array(("POST /enroll HTTP/1.1\r\nHost: overlay.example.org\r\nAccept: \(accept)\r\n"
            + "Content-Type: multipart/form-data; boundary=\(MultipartBody.boundary)\r\n"
            + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
    }

    @Test func routes() throws {
        let fixture = try EnrollmentFixture()
        let service = try service(fixture)
        func code(_ text: String) -> Int? { answer(service, fixture, Array(text.utf8))?.response.status.code }
        #expect(code("GET /.well-known/reload-config HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
        #expect(code("GET /crl HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
        #expect(code("GET /enroll HTTP/1.1\r\nHost: x\r\n\r\n") == 405)
        #expect(code("POST /crl HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") == 405)
        #expect(code("GET /other HTTP/1.1\r\nHost: x\r\n\r\n") == 404)
        #expect(code("POST /enroll HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx") == 415)
        #expect(code("garbage\r\n\r\n") == 400)
        #expect(code("POST /enroll HTTP/1.1\r\nHost: x\r\n") == nil)  // needs more
        let configuration = try #require(answer(service, fixture, Array("GET /.well-known/reload-config HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        #expect(configuration.response.headers.first { $0.name == "Content-Type" }?.value == "application/p2p-overlay+xml")
        let parsed = try OverlayDocument.parse(configuration.response.body)
        #expect(parsed.configurations[0].configuration.rootCertificates == [fixture.root.certificate.der])
    }

    @Test func enrollThroughHTTP() throws {
        let fixture = try EnrollmentFixture()
        let service = try service(fixture)
        let csr = try fixture.csr().der
        let ok = try #require(answer(service, fixture, EnrollmentServiceTests.form([
            ("username", nil, Array("alice".utf8)), ("password", nil, Array("alice-pw".utf8)),
            ("csr", "application/pkcs10", csr),
        ])))
        #expect(ok.response.status == .ok)
        #expect(ok.ledgerLine?.hasPrefix("issued serial=") == true)
        _ = try fixture.verifier().verify(chain: [Certificate(der: ok.response.body)], now: EnrollmentFixture.now(10).civilTime)
        let wrong = try #require(answer(service, fixture, EnrollmentServiceTests.form([
            ("username", nil, Array("alice".utf8)), ("password", nil, Array("nope".utf8)),
            ("csr", "application/pkcs10", try fixture.csr().der),
        ])))
        #expect(wrong.response.status == .forbidden)
        #expect(wrong.response.body == Array("failed_authentication".utf8))
        #expect(wrong.ledgerLine == nil)
        let unacceptable = try #require(answer(service, fixture, EnrollmentServiceTests.form(
            [("username", nil, Array("alice".utf8))], accept: "text/html")))
        #expect(unacceptable.response.status == .notAcceptable)
        let broken = try #require(answer(service, fixture, EnrollmentServiceTests.form([("colour", nil, [1])])))
        #expect(broken.response.status == .badRequest)
    }

    /// `openssl req` makes the CSR, curl posts it as multipart/form-data (§11.3), the answer is
    /// a DER certificate that `openssl verify` accepts; curl fetches the CRL and openssl reads it.
    @Test func opensslAndCurlInterop() throws {
        guard LoopbackHTTP.curlPath != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            print("skipped: curl or openssl not installed")
            return
        }
        let fixture = try EnrollmentFixture()
        let service = try service(fixture)
        let server = try LoopbackHTTP()
        let scratch = try TemporaryDirectory("p2psip-enroll")
        defer { scratch.remove() }
        let directory = scratch.url
        try Data(PEM.encode(fixture.root.certificate.der, label: "CERTIFICATE")).write(to: directory.appendingPathComponent("root.pem"))
        // Standard error too: `openssl crl` says "verify OK" there.
        let openssl = { (arguments: [String]) throws -> (Int32, String) in
            let result = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/openssl"), arguments, in: directory, output: .merged)
            return (result.status, result.output)
        }
        let made = try openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                "-keyout", "key.pem", "-subj", "/CN=alice", "-outform", "DER", "-out", "req.der"])
        try #require(made.0 == 0, "\(made.1)")
        let posted = try server.run(curl: [
            "-sS", "--max-time", "10", "-o", "cert.der", "-w", "%{http_code}", "-H", "Accept: application/pkix-cert",
            "-F", "username=alice", "-F", "password=alice-pw", "-F", "csr=@req.der;type=application/pkcs10",
            "http://127.0.0.1:PORT/enroll",
        ], in: directory, service: service, now: EnrollmentFixture.now(), random: fixture.random)
        #expect(posted.status == 0 && posted.output == "200", "\(posted.output)")
        #expect(posted.answer?.ledgerLine != nil)
        let converted = try openssl(["x509", "-inform", "DER", "-in", "cert.der", "-out", "cert.pem"])
        #expect(converted.0 == 0, "\(converted.1)")
        let verified = try openssl(["verify", "-attime", "\(EnrollmentFixture.now(60).secondsSince1970)", "-CAfile", "root.pem", "cert.pem"])
        #expect(verified.0 == 0 && verified.1.contains("cert.pem: OK"), "\(verified.1)")
        let text = try openssl(["x509", "-inform", "DER", "-in", "cert.der", "-noout", "-text"])
        #expect(text.1.contains("URI:reload://0110"))
        #expect(text.1.contains("email:alice@overlay.example.org"))
        // The same key again: bad_CSR, 403.
        let again = try server.run(curl: [
            "-sS", "--max-time", "10", "-o", "refusal.txt", "-w", "%{http_code}",
            "-F", "username=alice", "-F", "password=alice-pw", "-F", "csr=@req.der;type=application/pkcs10",
            "http://127.0.0.1:PORT/enroll",
        ], in: directory, service: service, now: EnrollmentFixture.now(1), random: fixture.random)
        #expect(again.output == "403")
        #expect(try String(contentsOf: directory.appendingPathComponent("refusal.txt"), encoding: .utf8) == "bad_CSR")
        let crl = try server.run(curl: ["-sS", "--max-time", "10", "-o", "crl.der", "http://127.0.0.1:PORT/crl"],
                                 in: directory, service: service, now: EnrollmentFixture.now(2), random: fixture.random)
        #expect(crl.status == 0)
        let checked = try openssl(["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "root.pem", "-noout"])
        #expect(checked.1.contains("verify OK"), "\(checked.1)")
        let configuration = try server.run(
            curl: ["-sS", "--max-time", "10", "-o", "config.xml", "http://127.0.0.1:PORT/.well-known/reload-config"],
            in: directory, service: service, now: EnrollmentFixture.now(3), random: fixture.random)
        #expect(configuration.status == 0)
        let document = try OverlayDocument.parse([UInt8](Data(contentsOf: directory.appendingPathComponent("config.xml"))))
        #expect(document.configurations.first?.configuration.instanceName == EnrollmentFixture.overlay)
    }
}
