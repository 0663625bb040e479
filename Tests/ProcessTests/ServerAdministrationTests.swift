import Crypto
import Wire
import Enrollment
import Foundation
import HTTPS
import Link
import Platform
import Testing
import TestSupport

/// A running server picks up new accounts and revocations; the client checks the server's name
/// and root; SIGHUP reloads.
@Suite(.serialized, .enabled(if: Tool.hasCurlAndOpenSSL, "needs curl and openssl (cross/deps all)"))
struct ServerAdministrationTests {
    func waitFor(_ text: String, in server: EnrollmentServerProcess, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if server.log.contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    @Test func usersAddedWhileServingCanEnrollAndSIGHUPReloads() throws {
        let server = try EnrollmentServerProcess(users: [])
        defer { server.stop() }
        try "frank-password\n".write(to: server.file("frank.pw"), atomically: true, encoding: .utf8)
        let before = try server.enroll("frank", into: "frank0")
        #expect(before.status == 1 && before.error.contains("failed_authentication"), "\(before.error)")
        let added = try Tool.p2psip(["ca", "user", "add", "--dir", "ca", "--user", "frank", "--password-file", "frank.pw",
                                     "--iterations", "1000"], in: server.directory)
        #expect(added.status == 0, "\(added.error)")
        // Noticed within a second, without a signal.
        #expect(waitFor("reloaded", in: server), "\(server.log)")
        let after = try server.enroll("frank", into: "frank1")
        #expect(after.status == 0, "\(after.error)")
        // SIGHUP reloads both files at once.
        server.process.signal(SIGHUP)
        #expect(waitFor("1 users", in: server) && waitFor("0 revoked", in: server), "\(server.log)")
        // A broken accounts file is refused with its line; the server keeps the accounts it had.
        try "user-rate-burst = many\n".write(to: server.ca.appendingPathComponent("accounts"), atomically: true, encoding: .utf8)
        #expect(waitFor("keeping the previous accounts", in: server), "\(server.log)")
        #expect(server.log.contains("accounts:1: user-rate-burst needs a decimal number"), "\(server.log)")
        #expect(try server.enroll("frank", into: "frank2").status == 0)
        #expect(server.process.isRunning)
    }

    @Test func theClientChecksTheServerNameAndRoot() throws {
        let server = try EnrollmentServerProcess(users: [("gina", nil)])
        defer { server.stop() }
        let connect = ["--connect", "127.0.0.1:\(server.port)"]
        // By name (the overlay name, RFC 6940 §11.3), connecting to the address given.
        let named = try Tool.p2psip([
            "enroll", "--server", "https://\(EnrollmentServerProcess.overlay):\(server.port)", "--user", "gina", "--password-file",
            "gina.pw", "--dir", "gina", "--root-cert", server.rootCertificate,
        ] + connect, in: server.directory)
        #expect(named.status == 0, "\(named.error)")
        // A name the server's certificate does not carry: the TLS handshake fails, naming the step.
        let wrongName = try Tool.p2psip([
            "enroll", "--server", "https://elsewhere.example:\(server.port)", "--user", "gina", "--password-file", "gina.pw",
            "--dir", "gina-x", "--root-cert", server.rootCertificate,
        ] + connect, in: server.directory)
        #expect(wrongName.status == 1 && wrongName.error.contains("configuration: TLS handshake"), "\(wrongName.error)")
        // Another root: nothing is sent, not even the configuration request.
        let other = try EnrollmentServerProcess(users: [])
        defer { other.stop() }
        let wrongRoot = try Tool.p2psip([
            "enroll", "--server", server.url, "--user", "gina", "--password-file", "gina.pw", "--dir", "gina-y",
            "--root-cert", other.rootCertificate,
        ], in: server.directory)
        #expect(wrongRoot.status == 1 && wrongRoot.error.contains("peer certificate rejected"), "\(wrongRoot.error)")
        // A server that does not answer in time: the step and the limit are named.
        let listener = try StreamListener(tcp: SocketAddress.parse("127.0.0.1:0")!, backlog: 4)
        let silent = try listener.localAddress().port
        let timedOut = try Tool.p2psip([
            "enroll", "--server", "https://127.0.0.1:\(silent)", "--user", "gina", "--password-file", "gina.pw", "--dir", "gina-z",
            "--root-cert", server.rootCertificate, "--timeout-ms", "500",
        ], in: server.directory)
        #expect(timedOut.status == 1 && timedOut.error.contains("TLS handshake with 127.0.0.1:\(silent): timed out (limit 500 ms)"),
                "\(timedOut.error)")
    }

    /// Enrollments per second through one server (our HTTPS client in this process, new key
    /// and CSR each time): the cost is PBKDF2 and two ECDSA signatures on the server.
    @Test func enrollmentsPerSecond() throws {
        let server = try EnrollmentServerProcess(users: [("henry", 1_000)])
        defer { server.stop() }
        let root = try Certificate.parse(Array(try Data(contentsOf: URL(fileURLWithPath: server.rootCertificate))))
        let random = try RandomGenerator(source: .operatingSystem)
        let tls = try SecureSessionConfiguration(
            role: .client, transport: .stream, certificateChain: [], privateKey: nil,
            trust: .anchors([root], revocationListDER: nil), random: random)
        let address = try #require(SocketAddress.parse("127.0.0.1:\(server.port)"))
        let count = 40
        let started = Date()
        for _ in 0..<count {
            let key = try PrivateKey.generateP256(using: random)
            let request = EnrollmentClient.enrollRequest(
                host: EnrollmentServerProcess.overlay, username: "henry", password: Array("henry-password".utf8), nodeIds: nil,
                csr: try CertificateSigningRequest.create(subject: "CN=henry", key: key, using: random),
                boundary: try EnrollmentClient.boundary(using: random))
            let answer = try HTTPSClient.exchange(
                request, to: address, serverName: EnrollmentServerProcess.overlay, configuration: tls, timeLimitMilliseconds: 10_000)
            #expect(answer.response.status == 200)
        }
        let seconds = Date().timeIntervalSince(started)
        print("enrollment throughput: \(count) enrollments in \(String(format: "%.2f", seconds)) s = "
            + "\(String(format: "%.1f", Double(count) / seconds)) per second (PBKDF2 1000 iterations, debug build, client in the same machine)")
    }
}

/// `ca revoke` by Node-ID and by serial, `ca crl`, and what they refuse.
@Suite(.serialized, .enabled(if: Tool.hasCurlAndOpenSSL, "needs curl and openssl (cross/deps all)"))
struct RevocationCommandTests {
    @Test func revokeByNodeAndSerialAndResignTheList() throws {
        let server = try EnrollmentServerProcess(users: [("ivan", nil)])
        defer { server.stop() }
        #expect(try server.enroll("ivan", into: "one").status == 0)
        #expect(try server.enroll("ivan", into: "two").status == 0)
        let one = try Certificate.parse(Array(try Data(contentsOf: server.file("one/cert.pem"))))
        let two = try Certificate.parse(Array(try Data(contentsOf: server.file("two/cert.pem"))))
        let nodeId = try #require(one.uniformResourceIdentifiers.first.flatMap { uri in
            try? ReloadURI.nodeId(fromPeerURI: uri, overlay: EnrollmentServerProcess.overlay, nodeIdLength: 16)
        })
        let byNode = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--node", Hex.encode(nodeId)], in: server.directory)
        #expect(byNode.status == 0 && byNode.output.contains("revoked serial \(Hex.encode(one.serialNumber))"), "\(byNode.error)")
        let bySerial = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--serial", Hex.encode(two.serialNumber)], in: server.directory)
        #expect(bySerial.status == 0 && bySerial.output.contains("CRL number 3: 2 revoked"), "\(bySerial.output) \(bySerial.error)")
        let again = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--serial", Hex.encode(two.serialNumber)], in: server.directory)
        #expect(again.status == 1 && again.error.contains("already revoked"), "\(again.error)")
        let unknown = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--serial", "0badc0de"], in: server.directory)
        #expect(unknown.status == 1 && unknown.error.contains("was not issued"), "\(unknown.error)")
        let noNode = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--node", String(repeating: "ab", count: 16)], in: server.directory)
        #expect(noNode.status == 1 && noNode.error.contains("no certificate holds"), "\(noNode.error)")
        let listed = try Tool.p2psip(["ca", "user", "list", "--dir", "ca"], in: server.directory)
        #expect(listed.output.contains("ivan                             4             2         2             2"), "\(listed.output)")
        let resigned = try Tool.p2psip(["ca", "crl", "--dir", "ca", "--crl-days", "7"], in: server.directory)
        #expect(resigned.status == 0 && resigned.output.contains("CRL number 4: 2 revoked certificates, valid 7 days"), "\(resigned.output)")
        let crl = try RevocationList(der: Array(try Data(contentsOf: server.ca.appendingPathComponent("crl.der"))))
        #expect(Set(crl.revokedCertificates.map { $0.serialNumber }) == Set([one.serialNumber, two.serialNumber]))
        // The ledger still reads back after the server and the commands appended to it.
        #expect(try Tool.p2psip(["ca", "user", "list", "--dir", "ca"], in: server.directory).status == 0)
    }
}
