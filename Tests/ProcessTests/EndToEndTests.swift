import Crypto
import Foundation
import Testing
import Wire

/// Issue 4's end-to-end flow with real processes on loopback: ca init, ca serve, p2psip enroll.
@Suite(.serialized) struct EndToEndTests {
    static func certificate(_ url: URL) throws -> Certificate {
        return try Certificate.parse(Array(try Data(contentsOf: url)))
    }

    static func verifier(_ server: EnrollmentServerProcess) throws -> IdentityVerifier {
        let root = try certificate(server.ca.appendingPathComponent("root-cert.pem"))
        return try IdentityVerifier(overlayName: EnrollmentServerProcess.overlay, nodeIdLength: 16, roots: [root], selfSigned: nil)
    }

    var now: CertificateTime { CertificateTime(unixSeconds: Int64(Date().timeIntervalSince1970)) }

    @Test func enrollTwoUsersCapsPasswordsKnownKeysAndRevocation() throws {
        let server = try EnrollmentServerProcess(users: [("alice", nil), ("bob", 2)])
        defer { server.stop() }
        let alice = try server.enroll("alice", into: "alice")
        #expect(alice.status == 0, "\(alice.error)")
        #expect(alice.output.contains("enrolled alice@overlay.example.org"))
        let bob1 = try server.enroll("bob", into: "bob1")
        let bob2 = try server.enroll("bob", into: "bob2")
        #expect(bob1.status == 0 && bob2.status == 0, "\(bob1.error) \(bob2.error)")

        // Both chain to the root and carry distinct random 128-bit Node-IDs.
        let verifier = try Self.verifier(server)
        var nodeIds: [[UInt8]] = []
        for dir in ["alice", "bob1", "bob2"] {
            let identity = try verifier.verify(chain: [Self.certificate(server.file(dir).appendingPathComponent("cert.pem"))], now: now)
            #expect(identity.nodeIds.count == 1 && identity.nodeIds[0].count == 16)
            nodeIds += identity.nodeIds
            let key = server.file(dir).appendingPathComponent("key.pem").path
            let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(dir)/key.pem mode \(String(describing: mode))")
            let verified = try Tool.system("openssl", ["verify", "-CAfile", server.rootCertificate, "\(dir)/cert.pem"], in: server.directory)
            #expect(verified.status == 0, "\(verified.output) \(verified.error)")
        }
        #expect(Set(nodeIds).count == 3)
        #expect(nodeIds.allSatisfy { id in id.contains { $0 != 0 } && id != Array(id.reversed()) })

        // The third enrollment beyond bob's cap of 2 Node-IDs is refused.
        let bob3 = try server.enroll("bob", into: "bob3")
        #expect(bob3.status == 1)
        #expect(bob3.error.contains("Node-IDs_not_available"), "\(bob3.error)")
        // A wrong password is refused.
        let wrong = try server.enroll("alice", into: "alice-wrong", password: "not-her-password\n")
        #expect(wrong.status == 1)
        #expect(wrong.error.contains("403 failed_authentication"), "\(wrong.error)")
        #expect(!FileManager.default.fileExists(atPath: server.file("alice-wrong").path), "a failed enrollment leaves nothing")
        // The CSR of an already enrolled key is refused (bad_CSR), whatever the account.
        let request = try Tool.system("openssl", ["req", "-new", "-key", "alice/key.pem", "-subj", "/CN=alice", "-outform", "DER",
                                                  "-out", "again.csr"], in: server.directory)
        #expect(request.status == 0, "\(request.error)")
        let again = try server.curl(["-F", "username=alice", "-F", "password=alice-password", "-F", "csr=@again.csr;type=application/pkcs10",
                                     "-w", "\n%{http_code}", "\(server.url)/enroll"])
        #expect(again.output == "bad_CSR\n403", "\(again.output) \(again.error)")

        try revokeAndCheck(server, verifier: verifier)
        #expect(server.stop() == 0)
    }

    /// `ca revoke --user alice`: the served CRL (noticed by the running server within a second)
    /// makes the verifier refuse alice and still accept bob.
    func revokeAndCheck(_ server: EnrollmentServerProcess, verifier: IdentityVerifier) throws {
        let revoked = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--user", "alice"], in: server.directory)
        #expect(revoked.status == 0, "\(revoked.error)")
        var list: RevocationList? = nil
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let fetched = try server.curl(["-o", "crl.der", "\(server.url)/crl"])
            if fetched.status == 0, let parsed = try? RevocationList(der: Array(try Data(contentsOf: server.file("crl.der")))),
                !parsed.revokedCertificates.isEmpty
            {
                list = parsed
                break
            }
            usleep(200_000)
        }
        let crl = try #require(list, "the server did not serve the new CRL: \(server.log)")
        try verifier.setRevocationList(crl)
        let alice = try Self.certificate(server.file("alice/cert.pem"))
        #expect(throws: CryptoError.rejected(.revoked)) { try verifier.verify(chain: [alice], now: now) }
        _ = try verifier.verify(chain: [Self.certificate(server.file("bob1/cert.pem"))], now: now)
        let text = try Tool.system("openssl", ["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], in: server.directory)
        #expect(text.output.contains("Serial Number: " + Hex.encode(alice.serialNumber).uppercased()), "\(text.output)")
    }

    /// `enroll --renew`: the same Node-IDs under a new serial, with no password and nothing of
    /// the user's cap spent (dave may hold 1 Node-ID over all time), once per certificate.
    @Test func renewalKeepsTheNodeIdsWithoutThePassword() throws {
        let server = try EnrollmentServerProcess(users: [("dave", 1)], renewalOpensPercent: 0)
        defer { server.stop() }
        let enrolled = try server.enroll("dave", into: "dave")
        #expect(enrolled.status == 0, "\(enrolled.error)")
        let certificateFile = server.file("dave/cert.pem")
        let before = try Self.certificate(certificateFile)
        try FileManager.default.copyItem(at: certificateFile, to: server.file("old-cert.pem"))
        sleep(1)  // notAfter is counted in seconds: the renewal must last longer
        let renew = ["enroll", "--renew", "--dir", "dave", "--connect", "127.0.0.1:\(server.port)", "--timeout-ms", "20000"]
        let renewed = try Tool.p2psip(renew, in: server.directory)
        #expect(renewed.status == 0, "\(renewed.error)")
        #expect(renewed.output.contains("renewed dave@overlay.example.org"), "\(renewed.output)")
        let after = try Self.certificate(certificateFile)
        let verifier = try Self.verifier(server)
        let old = try verifier.verify(chain: [before], now: now)
        let new = try verifier.verify(chain: [after], now: now)
        #expect(after.serialNumber != before.serialNumber)
        #expect(new.nodeIds == old.nodeIds && new.userName == old.userName)
        #expect(new.notAfter > old.notAfter)
        // A certificate is renewed once: the old one again is refused, and nothing is written.
        try FileManager.default.removeItem(at: certificateFile)
        try FileManager.default.copyItem(at: server.file("old-cert.pem"), to: certificateFile)
        let again = try Tool.p2psip(renew, in: server.directory)
        #expect(again.status == 1)
        #expect(again.error.contains("403 not_yet_renewable"), "\(again.error)")
        #expect(try Self.certificate(certificateFile).serialNumber == before.serialNumber)
        // The ledger holds the renewal; revoking dave's Node-ID revokes both certificates.
        let ledger = try String(contentsOf: server.ca.appendingPathComponent("ledger"), encoding: .utf8)
        #expect(ledger.contains("renewed serial=\(Hex.encode(after.serialNumber)) from=\(Hex.encode(before.serialNumber))"), "\(ledger)")
        let revoked = try Tool.p2psip(["ca", "revoke", "--dir", "ca", "--node", Hex.encode(new.nodeIds[0])], in: server.directory)
        #expect(revoked.status == 0, "\(revoked.error)")
        let text = try String(contentsOf: server.ca.appendingPathComponent("ledger"), encoding: .utf8)
        #expect(text.components(separatedBy: "revoked serial=").count == 3, "\(text)")
        #expect(server.stop() == 0)
    }

    @Test func rateLimitsOfTheDefaultPolicyAnswer429() throws {
        // The default policy allows a user 5 attempts, then one per 600 s.
        let server = try EnrollmentServerProcess(users: [("carol", nil)], rateBurst: 5)
        defer { server.stop() }
        var statuses: [String] = []
        for _ in 0..<7 {
            let answer = try server.curl(["-F", "username=carol", "-F", "password=wrong", "-F", "csr=x;type=application/pkcs10",
                                          "-w", " %{http_code}", "\(server.url)/enroll"])
            statuses.append(answer.output)
        }
        #expect(Array(statuses.prefix(5)) == Array(repeating: "failed_authentication 403", count: 5), "\(statuses)")
        #expect(statuses.suffix(2).allSatisfy { $0 == "rate_limited 429" }, "\(statuses)")
    }
}
