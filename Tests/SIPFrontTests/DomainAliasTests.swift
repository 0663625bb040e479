import Foundation
import Reload
import SIP
import Testing

@testable import SIPFront
import Wire

/// A phone set up with the peer's address as its SIP domain (no DNS knows the overlay's
/// name): REGISTER and calls for user@ADDRESS[:PORT] are for the overlay domain; and the
/// order of the Digest challenges follows the configuration (some phones read only the first).
@Suite struct DomainAliasTests {
    let now = WallTime(secondsSince1970: 1_700_000_000)
    /// Fixture.front's host.
    static let host = "192.168.1.1"

    /// Like Phone.credentials, for any Request-URI.
    static func credentials(_ user: String, _ password: String, _ challenge: SIPAuthentication, uri: String) -> String {
        let algorithm = DigestAlgorithm(name: challenge.value("algorithm")!)!
        let ha1 = algorithm.ha1(username: Array(user.utf8), realm: challenge.value("realm")!, password: Array(password.utf8))
        let response = algorithm.response(
            ha1: ha1, nonce: challenge.value("nonce")!, nonceCount: Array("00000001".utf8), cnonce: Array("beef".utf8),
            method: Array("REGISTER".utf8), uri: Array(uri.utf8))
        return "Digest username=\"\(user)\", realm=\"\(String(decoding: challenge.value("realm")!, as: UTF8.self))\", nonce=\""
            + String(decoding: challenge.value("nonce")!, as: UTF8.self) + "\", uri=\"\(uri)\", response=\""
            + String(decoding: response, as: UTF8.self) + "\", algorithm=\(String(decoding: algorithm.name, as: UTF8.self)), qop=auth, nc=00000001, cnonce=\"beef\""
    }

    func register(
        _ front: inout SIPFront, _ phone: inout Phone, requestURI: String, to: String, callId: String = "alias-reg"
    ) throws -> (SIPMessage, [SIPFrontAction]) {
        let first = front.receive(
            datagram: phone.request("REGISTER", requestURI, to: to, callId: callId, cseq: 1), from: phone.address, now: now)
        guard case .sendToPhone(let bytes, _)? = first.first else { throw Failure("no challenge: \(first)") }
        let challenge = try SIPMessage.parse(datagram: bytes)
        let authorization = Self.credentials(phone.user, phone.password, challenge.wwwAuthenticates[0], uri: requestURI)
        let second = front.receive(
            datagram: phone.request("REGISTER", requestURI, to: to, callId: callId, cseq: 2, headers: ["Authorization: " + authorization]),
            from: phone.address, now: now.adding(seconds: 1))
        return (challenge, second)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ text: String) { description = text }
    }

    @Test func registerWithTheAddressAsDomain() throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice"])
        var alice = Phone("alice", host: "192.168.1.10")
        for (index, to) in ["sip:alice@\(Self.host):5060", "sip:alice@\(Self.host)", "sip:alice@\(Self.host):5062"].enumerated() {
            let (_, actions) = try register(&front, &alice, requestURI: "sip:\(Self.host)", to: to, callId: "alias-\(index)")
            var stored: RegistrationStore? = nil
            for case .storeRegistration(let store) in actions { stored = store }
            #expect(stored?.addressOfRecord == Fixture.aor("alice"), "\(to): \(actions)")
            guard let stored else { continue }
            let done = front.overlayStoreCompleted(storeId: stored.storeId, result: .stored, now: now.adding(seconds: 2))
            guard case .sendToPhone(let bytes, _)? = done.first else {
                Issue.record("no 200: \(done)")
                continue
            }
            #expect(try SIPMessage.parse(datagram: bytes).statusCode == 200)
        }
        // Another host is another domain: not ours.
        let other = front.receive(
            datagram: alice.request("REGISTER", "sip:10.9.9.9", to: "sip:alice@10.9.9.9", callId: "other", cseq: 9), from: alice.address,
            now: now)
        guard case .sendToPhone(let bytes, _)? = other.first else {
            Issue.record("no answer: \(other)")
            return
        }
        #expect(try SIPMessage.parse(datagram: bytes).statusCode == 404)
    }

    @Test func callToTheAddressAsDomainIsLookedUpInTheOverlay() throws {
        var overlay = Overlay([Fixture.front(Fixture.nodeA, users: ["alice"]), Fixture.front(Fixture.nodeB, users: ["bob"])])
        var alice = Phone("alice", host: "192.168.1.10")
        var bob = Phone("bob", host: "192.168.1.20")
        overlay.register(&alice, at: Fixture.nodeA)
        overlay.register(&bob, at: Fixture.nodeB)
        let uri = "sip:bob@\(Self.host):5060"
        let invite = alice.request(
            "INVITE", uri, to: uri, callId: "alias-call", fromTag: "t1", cseq: 1, headers: ["Content-Type: application/sdp"], body: "v=0\r\n")
        overlay.phone(alice, sends: invite, to: Fixture.nodeA)
        #expect(overlay.lookups == 1)
        #expect(overlay.take(alice).map { $0.statusCode } == [100])
        let received = try #require(overlay.take(bob).first)
        #expect(received.method == .invite && received.requestURI?.text == bob.contact)
    }

    /// OPTIONS to our address, with or without our port (sipsak writes none): answered by the
    /// front itself, even to a phone that has not registered.
    @Test func optionsToTheAddressIsOurs() throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice"])
        var phone = Phone("alice", host: "192.168.1.10")
        for uri in ["sip:\(Self.host)", "sip:\(Self.host):5060", "sip:\(Self.host):5099", "sip:\(Fixture.domain)"] {
            let actions = front.receive(datagram: phone.request("OPTIONS", uri, to: uri, callId: "o-" + uri), from: phone.address, now: now)
            guard case .sendToPhone(let bytes, _)? = actions.first else {
                Issue.record("\(uri): no answer")
                continue
            }
            #expect(try SIPMessage.parse(datagram: bytes).statusCode == 200, "\(uri)")
        }
    }

    @Test func challengeOrderFollowsTheConfiguration() throws {
        for order in [[DigestAlgorithm.md5, .sha256], [.sha256, .md5], [.md5]] {
            var configuration = Fixture.front(Fixture.nodeA, users: ["alice"]).configuration
            configuration.digestAlgorithms = order
            var front = SIPFront(configuration: configuration)
            var alice = Phone("alice", host: "192.168.1.10")
            let actions = front.receive(datagram: alice.register(), from: alice.address, now: now)
            guard case .sendToPhone(let bytes, _)? = actions.first else {
                Issue.record("no challenge")
                continue
            }
            let challenge = try SIPMessage.parse(datagram: bytes)
            #expect(challenge.wwwAuthenticates.compactMap { $0.value("algorithm").flatMap { DigestAlgorithm(name: $0) } } == order)
            // The first challenge is the one an MD5-only phone that reads one header answers.
            let (_, second) = try register(&front, &alice, requestURI: "sip:\(Fixture.domain)", to: alice.aor)
            #expect(second.contains { if case .storeRegistration = $0 { return true } else { return false } }, "\(order)")
        }
    }
}
