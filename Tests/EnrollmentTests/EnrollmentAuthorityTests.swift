import Crypto
import Enrollment
import Foundation
import TestSupport
import Testing
import Wire

@Suite struct EnrollmentAuthorityTests {
    let address: [UInt8] = [192, 0, 2, 7]

    func issued(_ outcome: EnrollmentOutcome) -> ([UInt8], IssuedCertificate)? {
        if case .issued(let certificate, let record) = outcome { return (certificate, record) }
        return nil
    }

    @Test func enrolledCertificatesChainAndCarryRandomNodeIds() throws {
        let fixture = try EnrollmentFixture()
        let verifier = try fixture.verifier()
        var seen: [[UInt8]] = []
        for index in 0..<2 {
            let csr = try fixture.csr()
            let outcome = fixture.authority.enroll(
                fixture.request("alice", "alice-pw", csr: csr.der, nodeIds: index == 0 ? nil : "2"), source: address,
                now: EnrollmentFixture.now(Int64(index)), using: fixture.random)
            let (der, record) = try #require(issued(outcome))
            let identity = try verifier.verify(chain: [Certificate(der: der)], now: EnrollmentFixture.now(60).civilTime)
            #expect(identity.userName == "alice@overlay.example.org")
            #expect(identity.nodeIds == record.nodeIds)
            #expect(identity.nodeIds.count == index + 1)
            #expect(identity.nodeIds.allSatisfy { $0.count == 16 })
            #expect(try identity.publicKey.derEncoded() == csr.key.publicKeyDER())
            seen += identity.nodeIds
            let certificate = try Certificate(der: der)
            #expect(certificate.notAfter.unixSeconds == EnrollmentFixture.now(Int64(index)).secondsSince1970 + EnrollmentPolicy().certificateLifetimeSeconds)
            #expect(certificate.subject == "")
        }
        #expect(Set(seen).count == 3)
        #expect(fixture.authority.ledger.nodeIdCount(user: "alice") == 3)
    }

    @Test func lifetimeCapIsEnforced() throws {
        let fixture = try EnrollmentFixture()
        let first = fixture.authority.enroll(
            fixture.request("bob", "bob-pw", csr: try fixture.csr(subject: "CN=bob").der), source: address,
            now: EnrollmentFixture.now(), using: fixture.random)
        #expect(issued(first) != nil)
        let second = fixture.authority.enroll(
            fixture.request("bob", "bob-pw", csr: try fixture.csr(subject: "CN=bob").der), source: address,
            now: EnrollmentFixture.now(1), using: fixture.random)
        #expect(second == .refused(.nodeIdsNotAvailable))
        // alice: 4 over all time by default; 3 + 2 is over.
        let three = fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: try fixture.csr().der, nodeIds: "3"), source: address,
            now: EnrollmentFixture.now(2), using: fixture.random)
        #expect(issued(three) != nil)
        let two = fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: try fixture.csr().der, nodeIds: "2"), source: address,
            now: EnrollmentFixture.now(3), using: fixture.random)
        #expect(two == .refused(.nodeIdsNotAvailable))
    }

    @Test(arguments: ["0", "5", "x", "-1", "99999", ""])
    func badNodeIdCounts(text: String) throws {
        let fixture = try EnrollmentFixture()
        let outcome = fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: try fixture.csr().der, nodeIds: text), source: address,
            now: EnrollmentFixture.now(), using: fixture.random)
        #expect(outcome == .refused(.nodeIdsNotAvailable))
    }

    @Test func authenticationFailures() throws {
        let fixture = try EnrollmentFixture()
        let csr = try fixture.csr().der
        for (user, password) in [("alice", "wrong"), ("alice", ""), ("mallory", "alice-pw"), ("Alice", "alice-pw"),
                                 ("alice@other.example", "alice-pw"), ("", "")] {
            let outcome = fixture.authority.enroll(
                fixture.request(user, password, csr: csr), source: [10, 0, 0, UInt8(user.utf8.count)],
                now: EnrollmentFixture.now(), using: fixture.random)
            #expect(outcome == .refused(.failedAuthentication), "\(user)")
        }
        let noPassword = EnrollmentRequest(username: Array("alice".utf8), password: nil, csr: csr)
        #expect(fixture.authority.enroll(noPassword, source: [10, 0, 0, 99], now: EnrollmentFixture.now(), using: fixture.random)
            == .refused(.failedAuthentication))
        // The full user name works as the account name.
        let outcome = fixture.authority.enroll(
            fixture.request("alice@overlay.example.org", "alice-pw", csr: csr), source: address, now: EnrollmentFixture.now(),
            using: fixture.random)
        #expect(issued(outcome) != nil)
    }

    @Test func badCSRs() throws {
        let fixture = try EnrollmentFixture()
        let csr = try fixture.csr().der
        var flipped = csr
        flipped[flipped.count - 4] ^= 0x01
        let cases: [EnrollmentRequest] = [
            fixture.request("alice", "alice-pw", csr: flipped),
            fixture.request("alice", "alice-pw", csr: Array(csr.dropLast())),
            fixture.request("alice", "alice-pw", csr: Array("not a csr".utf8)),
            EnrollmentRequest(username: Array("alice".utf8), password: Array("alice-pw".utf8), csr: nil),
            EnrollmentRequest(username: Array("alice".utf8), password: Array("alice-pw".utf8), csr: csr, csrContentType: "text/plain"),
            EnrollmentRequest(username: Array("alice".utf8), password: Array("alice-pw".utf8), csr: csr, csrContentType: nil),
        ]
        for request in cases {
            #expect(fixture.authority.enroll(request, source: address, now: EnrollmentFixture.now(), using: fixture.random)
                == .refused(.badCSR))
        }
        // A key enrolled once is refused the second time, even for another user.
        #expect(issued(fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: csr), source: address, now: EnrollmentFixture.now(), using: fixture.random)) != nil)
        #expect(fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: csr), source: address, now: EnrollmentFixture.now(1), using: fixture.random)
            == .refused(.badCSR))
    }

    @Test func requestedUserNameMustBeTheAccounts() throws {
        let fixture = try EnrollmentFixture()
        for subject in ["CN=bob", "CN=alice, emailAddress=root@overlay.example.org", "O=x, CN=admin"] {
            let outcome = fixture.authority.enroll(
                fixture.request("alice", "alice-pw", csr: try fixture.csr(subject: subject).der), source: address,
                now: EnrollmentFixture.now(), using: fixture.random)
            #expect(outcome == .refused(.usernameNotAvailable), "\(subject)")
        }
        for subject in ["CN=alice@overlay.example.org", "O=Example Org", "CN=alice, emailAddress=alice@overlay.example.org"] {
            let outcome = fixture.authority.enroll(
                fixture.request("alice", "alice-pw", csr: try fixture.csr(subject: subject).der), source: address,
                now: EnrollmentFixture.now(), using: fixture.random)
            #expect(issued(outcome) != nil, "\(subject)")
        }
    }

    /// RFC 6940 §11.3: a CSR that requests no user name (a subject of no RDN) is issued the
    /// account's user name, NAME@OVERLAY; it was refused as bad_CSR while mbedTLS parsed CSRs.
    @Test func emptySubjectIsIssuedTheAccountName() throws {
        let fixture = try EnrollmentFixture()
        let csr = try fixture.csr(subject: "")
        let outcome = fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: csr.der), source: address, now: EnrollmentFixture.now(),
            using: fixture.random)
        let (der, record) = try #require(issued(outcome))
        let identity = try fixture.verifier().verify(
            chain: [Certificate(der: der)], now: EnrollmentFixture.now(60).civilTime)
        #expect(identity.userName == "alice@overlay.example.org")
        #expect(identity.nodeIds == record.nodeIds)
        #expect(try identity.publicKey.derEncoded() == csr.key.publicKeyDER())
    }

    /// Makes a P-256, SHA-256 CSR with `openssl req -subj subject`; returns it and its key's SPKI.
    func opensslRequest(subject: String) throws -> (der: [UInt8], spki: [UInt8]) {
        let scratch = try TemporaryDirectory("p2psip-csr")
        let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
        try Subprocess.require(openssl, [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
            "-subj", subject, "-sha256", "-outform", "DER", "-out", "req.der",
        ], in: scratch.url)
        let spki = try Subprocess.require(openssl, ["pkey", "-in", "key.pem", "-pubout", "-outform", "DER"], in: scratch.url).data
        return (Array(try Data(contentsOf: scratch.file("req.der"))), Array(spki))
    }

    /// What other clients send: `openssl req -subj "/"` requests no name and is issued alice's;
    /// OpenSSL CSRs that name alice are issued too, one that names bob is refused.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl is not installed"))
    func opensslRequestsAreIssuedTheAccountName() throws {
        let fixture = try EnrollmentFixture()
        let verifier = try fixture.verifier()
        for (offset, subject) in ["/", "/CN=alice", "/CN=alice/emailAddress=alice@overlay.example.org"].enumerated() {
            let csr = try opensslRequest(subject: subject)
            let outcome = fixture.authority.enroll(
                fixture.request("alice", "alice-pw", csr: csr.der), source: address,
                now: EnrollmentFixture.now(Int64(offset)), using: fixture.random)
            let (der, _) = try #require(issued(outcome), "\(subject): \(outcome)")
            let identity = try verifier.verify(
                chain: [Certificate(der: der)], now: EnrollmentFixture.now(60).civilTime)
            #expect(identity.userName == "alice@overlay.example.org")
            #expect(try identity.publicKey.derEncoded() == csr.spki)
        }
        let bob = try opensslRequest(subject: "/CN=bob")
        #expect(fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: bob.der), source: address, now: EnrollmentFixture.now(9),
            using: fixture.random) == .refused(.usernameNotAvailable))
    }

    @Test func rateLimits() throws {
        var policy = EnrollmentPolicy()
        policy.userRateBurst = 2
        policy.userRateRefillSeconds = 100
        policy.addressRateBurst = 3
        policy.addressRateRefillSeconds = 10
        let fixture = try EnrollmentFixture(policy: policy)
        let csr = try fixture.csr().der
        var outcomes: [EnrollmentOutcome] = []
        for index in 0..<3 {
            outcomes.append(fixture.authority.enroll(
                fixture.request("alice", "wrong", csr: csr), source: [10, 0, 0, UInt8(index)], now: EnrollmentFixture.now(),
                using: fixture.random))
        }
        #expect(outcomes == [.refused(.failedAuthentication), .refused(.failedAuthentication),
                             .refused(.rateLimited(retryAfter: 100))])
        // The right password does not help while the user's bucket is empty...
        #expect(fixture.authority.enroll(fixture.request("alice", "alice-pw", csr: csr), source: [10, 0, 0, 9],
                                         now: EnrollmentFixture.now(50), using: fixture.random) == .refused(.rateLimited(retryAfter: 50)))
        // ...and it refills with time.
        #expect(issued(fixture.authority.enroll(fixture.request("alice", "alice-pw", csr: csr), source: [10, 0, 0, 9],
                                                now: EnrollmentFixture.now(200), using: fixture.random)) != nil)
        // One address: 3 attempts, whatever the users.
        var fromOne: [EnrollmentOutcome] = []
        for user in ["u1", "u2", "u3", "u4"] {
            fromOne.append(fixture.authority.enroll(fixture.request(user, "x", csr: csr), source: [192, 0, 2, 1],
                                                    now: EnrollmentFixture.now(300), using: fixture.random))
        }
        #expect(fromOne.last == .refused(.rateLimited(retryAfter: 10)))
    }

    @Test func revocationAndCRL() throws {
        let fixture = try EnrollmentFixture()
        let outcome = fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: try fixture.csr().der), source: address, now: EnrollmentFixture.now(),
            using: fixture.random)
        let (der, record) = try #require(issued(outcome))
        let certificate = try Certificate(der: der)
        let verifier = try fixture.verifier()
        let later = EnrollmentFixture.now(3600).civilTime
        _ = try verifier.verify(chain: [certificate], now: later)
        let lines = fixture.authority.revoke(nodeId: record.nodeIds[0], now: EnrollmentFixture.now(100))
        #expect(lines == ["revoked serial=\(Hex.encode(record.serialNumber)) at=\(EnrollmentFixture.now(100).secondsSince1970)"])
        #expect(fixture.authority.revoke(user: "alice", now: EnrollmentFixture.now(101)).isEmpty)
        let crl = try fixture.authority.revocationList(now: EnrollmentFixture.now(200), validitySeconds: 86_400, using: fixture.random)
        #expect(crl.numberLine == "crl number=1")
        try verifier.setRevocationList(RevocationList(der: crl.der))
        #expect(throws: CryptoError.rejected(.revoked)) { try verifier.verify(chain: [certificate], now: later) }
        // The ledger text rebuilds the same state.
        let rebuilt = try EnrollmentLedger.parse(fixture.authority.ledger.serialized())
        #expect(rebuilt.isRevoked(record.serialNumber))
        #expect(rebuilt.crlNumber == 1)
    }

    @Test func certificateNeverOutlivesTheRoot() throws {
        var policy = EnrollmentFixture.generous
        policy.certificateLifetimeSeconds = 9 * 365 * 86_400
        let fixture = try EnrollmentFixture(policy: policy)
        let now = WallTime(CivilTime(year: 2035, month: 6, day: 1))
        let (der, _) = try #require(issued(fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: try fixture.csr().der), source: address, now: now, using: fixture.random)))
        #expect(try Certificate(der: der).notAfter == fixture.root.certificate.notAfter)
    }
}

@Suite struct EnrollmentRateLimitPrivacyTests {
    /// Known and unknown names hit their limits alike (no account enumeration through 429s).
    @Test func unknownNamesAreLimitedLikeKnownOnes() throws {
        var policy = EnrollmentPolicy()
        policy.userRateBurst = 2
        policy.addressRateBurst = 1000
        let fixture = try EnrollmentFixture(policy: policy)
        let csr = try fixture.csr().der
        for user in ["alice", "nosuchuser"] {
            var outcomes: [EnrollmentOutcome] = []
            for index in 0..<3 {
                outcomes.append(fixture.authority.enroll(
                    fixture.request(user, "wrong", csr: csr), source: [10, 1, 0, UInt8(index)], now: EnrollmentFixture.now(),
                    using: fixture.random))
            }
            #expect(outcomes == [.refused(.failedAuthentication), .refused(.failedAuthentication),
                                 .refused(.rateLimited(retryAfter: 600))], "\(user)")
        }
    }
}
