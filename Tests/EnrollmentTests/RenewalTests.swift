import Config
import Crypto
import Enrollment
import Foundation
import HTTP
import Testing
import Wire

/// Renewal (RFC 6940 §11.3: a returning user gets the same Node-IDs): proven by the key, no
/// password, no cap spent, once per certificate, from half its validity on.
@Suite struct RenewalTests {
    let address: [UInt8] = [192, 0, 2, 9]
    static let lifetime = EnrollmentPolicy().certificateLifetimeSeconds

    func enroll(_ fixture: EnrollmentFixture, nodeIds: String = "2") throws -> (key: PrivateKey, der: [UInt8], record: IssuedCertificate) {
        let csr = try fixture.csr()
        let outcome = fixture.authority.enroll(
            fixture.request("alice", "alice-pw", csr: csr.der, nodeIds: nodeIds), source: address, now: EnrollmentFixture.now(),
            using: fixture.random)
        guard case .issued(let der, let record) = outcome else { throw EnrollmentError.invalidArgument("not issued: \(outcome)") }
        return (csr.key, der, record)
    }

    func renewal(_ fixture: EnrollmentFixture, key: PrivateKey, certificate: [UInt8], password: String? = nil) throws -> EnrollmentRequest {
        let csr = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: fixture.random)
        return EnrollmentRequest(username: Array("alice".utf8), password: password.map { Array($0.utf8) }, csr: csr, certificate: certificate)
    }

    func renew(_ fixture: EnrollmentFixture, _ request: EnrollmentRequest, at offset: Int64) -> EnrollmentOutcome {
        return fixture.authority.enroll(request, source: address, now: EnrollmentFixture.now(offset), using: fixture.random)
    }

    @Test func renewalGivesTheSameNodeIdsWithoutSpendingTheCap() throws {
        let fixture = try EnrollmentFixture()
        let first = try enroll(fixture)
        let request = try renewal(fixture, key: first.key, certificate: first.der)
        // Before half its validity: not yet.
        #expect(renew(fixture, request, at: RenewalTests.lifetime * 2 / 5) == .refused(.notYetRenewable))
        let at = RenewalTests.lifetime * 2 / 3
        guard case .issued(let der, let record) = renew(fixture, request, at: at) else {
            Issue.record("renewal refused")
            return
        }
        let verifier = try fixture.verifier()
        let identity = try verifier.verify(chain: [Certificate(der: der)], now: EnrollmentFixture.now(at + 60).civilTime)
        #expect(identity.nodeIds == first.record.nodeIds)
        #expect(identity.userName == "alice@overlay.example.org")
        #expect(try identity.publicKey.derEncoded() == first.key.publicKeyDER())
        #expect(record.serialNumber != first.record.serialNumber)
        #expect(record.renewedFrom == first.record.serialNumber)
        #expect(try Certificate(der: der).notAfter.unixSeconds == EnrollmentFixture.now(at).secondsSince1970 + RenewalTests.lifetime)
        #expect(fixture.authority.ledger.nodeIdCount(user: "alice") == 2)
        // Once per certificate; the new one has its own window.
        #expect(renew(fixture, try renewal(fixture, key: first.key, certificate: first.der), at: at + 1) == .refused(.notYetRenewable))
        #expect(renew(fixture, try renewal(fixture, key: first.key, certificate: der), at: at + 2) == .refused(.notYetRenewable))
        guard case .issued = renew(fixture, try renewal(fixture, key: first.key, certificate: der), at: at + RenewalTests.lifetime * 2 / 3) else {
            Issue.record("second renewal refused")
            return
        }
        // The ledger keeps it all across a restart, and revoking the Node-ID revokes every
        // certificate that holds it.
        let rebuilt = try EnrollmentLedger.parse(fixture.authority.ledger.serialized())
        #expect(rebuilt.serialized() == fixture.authority.ledger.serialized())
        #expect(rebuilt.isRenewed(first.record.serialNumber))
        #expect(rebuilt.nodeIdCount(user: "alice") == 2)
        let lines = fixture.authority.revoke(nodeId: first.record.nodeIds[1], now: EnrollmentFixture.now(at + 10))
        #expect(lines.count == 3)
    }

    @Test func renewalRefusals() throws {
        let fixture = try EnrollmentFixture()
        let first = try enroll(fixture)
        let at = RenewalTests.lifetime * 2 / 3
        // Another key's CSR proves nothing.
        let stranger = try fixture.csr()
        var request = try renewal(fixture, key: stranger.key, certificate: first.der)
        #expect(renew(fixture, request, at: at) == .refused(.badCSR))
        // A password beside the certificate, or a Node-ID count: not a renewal we take.
        #expect(renew(fixture, try renewal(fixture, key: first.key, certificate: first.der, password: "alice-pw"), at: at)
            == .refused(.failedAuthentication))
        request = try renewal(fixture, key: first.key, certificate: first.der)
        request.nodeIds = Array("2".utf8)
        #expect(renew(fixture, request, at: at) == .refused(.failedAuthentication))
        // Bytes that are no certificate, and a certificate of another CA.
        #expect(renew(fixture, try renewal(fixture, key: first.key, certificate: [0x30, 0x03, 1, 2, 3]), at: at) == .refused(.failedAuthentication))
        let other = try EnrollmentFixture(seed: 7)
        let foreign = try enroll(other)
        #expect(renew(fixture, try renewal(fixture, key: foreign.key, certificate: foreign.der), at: at) == .refused(.failedAuthentication))
        // Expired: enroll again with the password.
        #expect(renew(fixture, try renewal(fixture, key: first.key, certificate: first.der), at: RenewalTests.lifetime + 10)
            == .refused(.failedAuthentication))
        // Revoked.
        _ = fixture.authority.revoke(serialNumber: first.record.serialNumber, now: EnrollmentFixture.now(at - 5))
        #expect(renew(fixture, try renewal(fixture, key: first.key, certificate: first.der), at: at) == .refused(.failedAuthentication))
        #expect(fixture.authority.ledger.issued.count == 1)
    }

    @Test func renewalThroughTheServiceAndTheClientsChecks() throws {
        let fixture = try EnrollmentFixture()
        var configuration = OverlayConfiguration(instanceName: EnrollmentFixture.overlay)
        configuration.rootCertificates = [fixture.root.certificate.der]
        let service = EnrollmentService(
            authority: fixture.authority, configurationDocument: OverlayConfigurationWriter.document([configuration]), revocationList: [])
        let first = try enroll(fixture)
        let csr = try CertificateSigningRequest.create(subject: "CN=alice", key: first.key, using: fixture.random)
        let bytes = EnrollmentClient.renewRequest(
            host: EnrollmentFixture.overlay, username: "alice@" + EnrollmentFixture.overlay, certificate: first.der, csr: csr,
            boundary: try EnrollmentClient.boundary(using: fixture.random))
        let at = EnrollmentFixture.now(RenewalTests.lifetime * 3 / 4)
        let answer = try #require(service.answer(HTTPRequestParser.parse(bytes), source: address, now: at, using: fixture.random))
        #expect(answer.ledgerLine?.hasPrefix("renewed serial=") == true)
        guard case .response(let response) = HTTPResponseParser.parse(answer.response.serialized()) else {
            Issue.record("no response")
            return
        }
        let verifier = try fixture.verifier()
        let current = try verifier.verify(chain: [Certificate(der: first.der)], now: at.civilTime)
        let result = EnrollmentClient.interpretRenewal(
            response, current: current, publicKey: try first.key.publicKeyDER(), verifier: verifier, now: at.civilTime)
        guard case .enrolled(_, let renewed) = result else {
            Issue.record("renewal not accepted by the client: \(result)")
            return
        }
        #expect(renewed.nodeIds == current.nodeIds)
        // The client refuses an answer that changes the Node-IDs (here: a fresh enrollment's).
        let fresh = try enroll(fixture, nodeIds: "1")
        let forged = HTTPClientResponse(status: 200, headers: [("Content-Type", "application/pkix-cert")], body: fresh.der)
        guard case .invalid(let why) = EnrollmentClient.interpretRenewal(
            forged, current: current, publicKey: try fresh.key.publicKeyDER(), verifier: verifier, now: at.civilTime)
        else {
            Issue.record("the client took other Node-IDs as a renewal")
            return
        }
        #expect(why == "the renewed certificate names another user or other Node-IDs")
    }
}
