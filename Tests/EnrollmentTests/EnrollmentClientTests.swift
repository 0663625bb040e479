import Config
import Crypto
import Enrollment
import HTTP
import Testing
import Wire

@Suite struct EnrollmentClientTests {
    /// Client request -> server parser -> service -> response bytes -> client parser -> check.
    func exchange(
        _ fixture: EnrollmentFixture, service: EnrollmentService, user: String, password: String, csr: [UInt8], nodeIds: Int? = nil
    ) throws -> HTTPClientResponse {
        let bytes = EnrollmentClient.enrollRequest(
            host: EnrollmentFixture.overlay, username: user, password: Array(password.utf8), nodeIds: nodeIds, csr: csr,
            boundary: try EnrollmentClient.boundary(using: fixture.random))
        let answer = try #require(service.answer(
            HTTPRequestParser.parse(bytes), source: [1, 1, 1, 1], now: EnrollmentFixture.now(), using: fixture.random))
        guard case .response(let response) = HTTPResponseParser.parse(answer.response.serialized()) else {
            throw EnrollmentError.invalidArgument("no response")
        }
        return response
    }

    func setup() throws -> (EnrollmentFixture, EnrollmentService, OverlayConfiguration) {
        let fixture = try EnrollmentFixture()
        var configuration = OverlayConfiguration(instanceName: EnrollmentFixture.overlay)
        configuration.rootCertificates = [fixture.root.certificate.der]
        let service = EnrollmentService(
            authority: fixture.authority, configurationDocument: OverlayConfigurationWriter.document([configuration]),
            revocationList: [])
        return (fixture, service, configuration)
    }

    @Test func enrollEndToEndWithoutSockets() throws {
        let (fixture, service, configuration) = try setup()
        let key = try PrivateKey.generateP256(using: fixture.random)
        let csr = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: fixture.random)
        let response = try exchange(fixture, service: service, user: "alice", password: "alice-pw", csr: csr, nodeIds: 2)
        let verifier = try OverlayTrust.verifier(for: configuration)
        let result = EnrollmentClient.interpret(
            response, publicKey: try key.publicKeyDER(), verifier: verifier, now: EnrollmentFixture.now(5).civilTime)
        guard case .enrolled(_, let identity) = result else {
            Issue.record("not enrolled: \(result)")
            return
        }
        #expect(identity.nodeIds.count == 2)
        #expect(identity.userName == "alice@overlay.example.org")
        // Another key than ours is not accepted.
        let other = try PrivateKey.generateP256(using: fixture.random)
        let response2 = try exchange(fixture, service: service, user: "alice", password: "alice-pw",
                                     csr: CertificateSigningRequest.create(subject: "CN=alice", key: other, using: fixture.random))
        guard case .invalid(let why) = EnrollmentClient.interpret(
            response2, publicKey: try key.publicKeyDER(), verifier: verifier, now: EnrollmentFixture.now(5).civilTime)
        else {
            Issue.record("accepted a certificate for another key")
            return
        }
        #expect(why == "certificate is not for our key")
    }

    @Test func refusalsAndForeignRoots() throws {
        let (fixture, service, _) = try setup()
        let key = try PrivateKey.generateP256(using: fixture.random)
        let csr = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: fixture.random)
        let refused = try exchange(fixture, service: service, user: "alice", password: "bad", csr: csr)
        let anyVerifier = try fixture.verifier()
        guard case .refused(let status, let token) = EnrollmentClient.interpret(
            refused, publicKey: try key.publicKeyDER(), verifier: anyVerifier, now: EnrollmentFixture.now().civilTime)
        else {
            Issue.record("not refused")
            return
        }
        #expect(status == 403 && token == "failed_authentication")
        // A certificate from a CA that is not in the configuration's root-certs.
        let issued = try exchange(fixture, service: service, user: "alice", password: "alice-pw", csr: csr)
        let stranger = try EnrollmentFixture(seed: 42)
        guard case .invalid = EnrollmentClient.interpret(
            issued, publicKey: try key.publicKeyDER(), verifier: try stranger.verifier(),
            now: EnrollmentFixture.now(5).civilTime)
        else {
            Issue.record("accepted a certificate of a foreign root")
            return
        }
    }

    @Test func responseParser() {
        let ok = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi".utf8)
        #expect(HTTPResponseParser.parse(ok) == .response(HTTPClientResponse(
            status: 200, headers: [("Content-Type", "text/plain"), ("Content-Length", "2")], body: Array("hi".utf8))))
        var parser = HTTPResponseParser()
        var results: [HTTPResponseParser.Result] = []
        for byte in ok { results.append(parser.feed([byte])) }
        #expect(results.dropLast().allSatisfy { $0 == .needMore })
        #expect(results.last == HTTPResponseParser.parse(ok))
        for bad in ["HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n",
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\nx",
                    "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n", "garbage\r\n\r\n"] {
            guard case .failure = HTTPResponseParser.parse(Array(bad.utf8)) else {
                Issue.record("accepted \(bad.debugDescription)")
                continue
            }
        }
        #expect(HTTPResponseParser.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab".utf8)) == .needMore)
    }

    @Test func overlayTrustFromConfiguration() throws {
        var configuration = OverlayConfiguration(instanceName: "lan.example")
        #expect(throws: EnrollmentError.self) { try OverlayTrust.verifier(for: configuration) }  // no root, no self-signed
        configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: "md5")
        #expect(throws: EnrollmentError.invalidArgument("self-signed digest md5 is not supported (sha1, sha256)")) {
            try OverlayTrust.verifier(for: configuration)
        }
        configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: "sha256")
        configuration.selfSignedWorkBits = 4
        let verifier = try OverlayTrust.verifier(for: configuration)
        #expect(verifier.selfSignedPolicy == SelfSignedPolicy(digest: .sha256, workBits: 4))
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 5, count: 96)))
        let identity = try SelfSignedIdentity.create(
            userName: "carol@lan.example", overlay: "lan.example", nodeIdLength: 16,
            policy: try #require(verifier.selfSignedPolicy), maximumAttempts: 1 << 16,
            notBefore: CivilTime(year: 2026, month: 1, day: 1), notAfter: CivilTime(year: 2027, month: 1, day: 1), using: random)
        _ = try verifier.verify(chain: [Certificate(der: identity.certificate)], now: CivilTime(year: 2026, month: 6, day: 1))
        configuration.rootCertificates = [Array("bad cert\n".utf8)]
        #expect(throws: EnrollmentError.self) { try OverlayTrust.verifier(for: configuration) }
    }

    /// Self-signed mode's safe defaults (§11.3.1, §13.3): a configuration that says nothing
    /// asks for a 20-bit proof of work and one Node-ID per certificate, the same as Crypto's
    /// policy defaults; what it says explicitly (more Node-IDs, no work) is what the verifier
    /// enforces.
    @Test func selfSignedDefaultsAreSafeAndTheSameInBothModules() throws {
        var configuration = OverlayConfiguration(instanceName: "lan.example")
        configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: "sha256")
        let policy = try #require(try OverlayTrust.verifier(for: configuration).selfSignedPolicy)
        #expect(policy.workBits >= 20 && policy.maximumNodeIds == 1)
        #expect(policy == SelfSignedPolicy(digest: .sha256))
        #expect(OverlayConfiguration.defaultSelfSignedWorkBits == SelfSignedPolicy.defaultWorkBits)
        #expect(OverlayConfiguration.defaultSelfSignedNodeIds == SelfSignedPolicy.defaultMaximumNodeIds)
        configuration.selfSignedWorkBits = 0
        configuration.selfSignedNodeIds = 4
        let explicit = try #require(try OverlayTrust.verifier(for: configuration).selfSignedPolicy)
        #expect(explicit == SelfSignedPolicy(digest: .sha256, workBits: 0, maximumNodeIds: 4))
        // ca init's parameters default to the same.
        let parameters = CAInitParameters(overlay: "lan.example", enrollmentURL: "https://lan.example/")
        #expect(parameters.proofOfWorkBits == SelfSignedPolicy.defaultWorkBits && parameters.selfSignedNodeIds == 1)
    }
}
