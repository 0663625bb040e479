import Crypto
import Enrollment
import Foundation
import HTTP
import HTTPS
import Link
import Platform
import Testing

/// Bad input against the running server: each gets its answer or is closed, and the server
/// keeps serving honest enrollments meanwhile. The server runs with 8 connections of at most
/// 2 s each so that the bounds show quickly.
@Suite(.serialized, .enabled(if: Tool.hasCurlAndOpenSSL, "needs curl and openssl (cross/deps all)"))
struct HostileClientTests {
    static let timeLimitMilliseconds = 2000
    static func server() throws -> EnrollmentServerProcess {
        return try EnrollmentServerProcess(
            users: [("erin", 16)], serveOptions: ["--max-connections", "8", "--connection-time-limit-ms", "\(timeLimitMilliseconds)"])
    }

    func post(_ server: EnrollmentServerProcess, csrFile: String) throws -> String {
        return try server.curl(["-F", "username=erin", "-F", "password=erin-password", "-F", "csr=@\(csrFile);type=application/pkcs10",
                                "-w", " %{http_code}", "\(server.url)/enroll"]).output
    }

    @Test func malformedFormsAndRequestsGetTheirStatus() throws {
        let server = try Self.server()
        defer { server.stop() }
        // Not a CSR at all.
        try Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: server.file("garbage.csr"))
        #expect(try post(server, csrFile: "garbage.csr") == "bad_CSR 403")
        // A real CSR whose self-signature is broken (last byte of the ECDSA signature changed).
        let made = try Tool.system("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                               "-keyout", "k.pem", "-subj", "/CN=erin", "-outform", "DER", "-out", "good.csr"],
                                   in: server.directory)
        #expect(made.status == 0)
        var csr = Array(try Data(contentsOf: server.file("good.csr")))
        csr[csr.count - 1] ^= 0x01
        try Data(csr).write(to: server.file("forged.csr"))
        #expect(try post(server, csrFile: "forged.csr") == "bad_CSR 403")
        // The untouched CSR still enrolls: the refusals left no trace.
        #expect(try post(server, csrFile: "good.csr").hasSuffix(" 200"))
        // A body over 64 KiB: 413 before it is read.
        try Data(repeating: 0x41, count: 100 * 1024).write(to: server.file("big.bin"))
        let big = try server.curl(["-H", "Content-Type: multipart/form-data; boundary=x", "--data-binary", "@big.bin",
                                   "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/enroll"])
        #expect(big.output == "413", "\(big.output) \(big.error)")
        // Not a form, wrong method, unknown path.
        #expect(try server.curl(["-d", "x=1", "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/enroll"]).output == "415")
        #expect(try server.curl(["-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/enroll"]).output == "405")
        #expect(try server.curl(["-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/nothing"]).output == "404")
        // Garbage instead of HTTP, inside TLS.
        let answer = try Self.exchange(server, Array("\u{01}\u{02} this is not HTTP at all\r\n\r\n".utf8))
        #expect(answer.status == 400)
        let oldVersion = try Self.exchange(server, Array("GET /crl HTTP/0.9\r\nHost: x\r\n\r\n".utf8))
        #expect(oldVersion.status == 505)
    }

    /// One exchange through our own HTTPS client (Link's TLS, the root as the only anchor).
    static func exchange(_ server: EnrollmentServerProcess, _ request: [UInt8]) throws -> HTTPClientResponse {
        let root = try Certificate.parse(Array(try Data(contentsOf: URL(fileURLWithPath: server.rootCertificate))))
        let tls = try SecureSessionConfiguration(
            role: .client, transport: .stream, certificateChain: [], privateKey: nil,
            trust: .anchors([root], revocationListDER: nil), random: RandomGenerator(source: .operatingSystem))
        let address = try #require(SocketAddress.parse("127.0.0.1:\(server.port)"))
        return try HTTPSClient.exchange(request, to: address, serverName: nil, configuration: tls, timeLimitMilliseconds: 10_000).response
    }

    @Test func garbageInsteadOfTLSIsClosedAtOnceAndStalledHandshakesAtTheLimit() throws {
        let server = try Self.server()
        defer { server.stop() }
        let garbage = try RawConnection(port: server.port)
        garbage.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let refused = garbage.readUntilClosed(seconds: 10)
        #expect(refused.closed && refused.after < 1.0, "closed \(refused.closed) after \(refused.after) s")
        // Silence, and a ClientHello that stops after its record header.
        let silent = try RawConnection(port: server.port)
        let partial = try RawConnection(port: server.port)
        partial.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        for connection in [silent, partial] {
            let result = connection.readUntilClosed(seconds: 10)
            #expect(result.closed, "not closed within 10 s")
            #expect(result.after > 1.5 && result.after < 5, "closed after \(result.after) s (limit 2 s)")
        }
        // The server is still there.
        #expect(try server.curl(["-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/crl"]).output == "200")
        let deadline = Date().addingTimeInterval(5)
        while !server.log.contains("handshake timeouts") && Date() < deadline { usleep(50_000) }
        #expect(server.log.contains("2 handshake timeouts"), "\(server.log)")
        #expect(server.log.contains("1 TLS handshake failures"), "\(server.log)")
    }

    @Test func aFloodOfIdleConnectionsDoesNotLockOutAnHonestEnrollment() throws {
        let server = try Self.server()
        defer { server.stop() }
        // Five times the connection bound, all silent.
        let flood = try (0..<40).map { _ in try RawConnection(port: server.port) }
        let started = Date()
        let honest = try server.enroll("erin", into: "erin")
        let took = Date().timeIntervalSince(started)
        #expect(honest.status == 0, "\(honest.error)")
        #expect(took < 15, "the honest enrollment took \(took) s")
        // Every flooding connection is closed in bounded time: at the time limit, or earlier
        // when evicted to make room.
        var closed = 0
        for connection in flood where connection.readUntilClosed(seconds: 15).closed { closed += 1 }
        #expect(closed == flood.count)
        #expect(server.log.contains("accepting paused"), "\(server.log)")
        print("flood of 40 idle connections against 8 slots: the honest enrollment took \(String(format: "%.2f", took)) s")
    }
}
