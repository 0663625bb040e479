@testable import SIP
import Crypto
import Testing
import Wire

/// The wall clock `seconds` after 1970 (the tests count whole seconds, as SIP does).
private func at(_ seconds: Int64) -> WallTime { WallTime(secondsSince1970: seconds) }

@Suite struct DigestTests {
    /// RFC 2617 §3.5: the worked example of the RFC (qop=auth, MD5).
    @Test func rfc2617Example() {
        let ha1 = DigestAlgorithm.md5.ha1(username: Array("Mufasa".utf8), realm: Array("testrealm@host.com".utf8), password: Array("Circle Of Life".utf8))
        let response = DigestAlgorithm.md5.response(
            ha1: ha1, nonce: Array("dcd98b7102dd2f0e8b11d0f600bfb0c093".utf8), nonceCount: Array("00000001".utf8),
            cnonce: Array("0a4f113b".utf8), method: Array("GET".utf8), uri: Array("/dir/index.html".utf8))
        #expect(String(decoding: response, as: UTF8.self) == "6629fae49393a05397450978507c4ef1")
    }

    /// RFC 7616 §3.9.1, the example RFC 8760 §2 refers to for SHA-256 (and its MD5 twin).
    @Test(arguments: [
        (DigestAlgorithm.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        (DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
    ])
    func rfc7616Example(algorithm: DigestAlgorithm, expected: String) {
        let ha1 = algorithm.ha1(username: Array("Mufasa".utf8), realm: Array("http-auth@example.org".utf8), password: Array("Circle of Life".utf8))
        let response = algorithm.response(
            ha1: ha1, nonce: Array("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v".utf8), nonceCount: Array("00000001".utf8),
            cnonce: Array("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ".utf8), method: Array("GET".utf8), uri: Array("/dir/index.html".utf8))
        #expect(String(decoding: response, as: UTF8.self) == expected)
        #expect(response.count == algorithm.hexLength)
    }

    static let secret = [UInt8](repeating: 7, count: 32)
    static let realm = Array("overlay.example".utf8)
    static let requestURI = SIPURI(host: Array("overlay.example".utf8))
    static let password = Array("correct horse".utf8)

    /// What a phone does with a challenge: computes the response and writes Authorization.
    static func answer(
        _ challenge: SIPAuthentication, count: UInt32 = 1, password: [UInt8] = password, uri: String = "sip:overlay.example",
        method: String = "REGISTER"
    ) throws -> DigestCredentials {
        let name = try #require(challenge.value("algorithm"))
        let algorithm = try #require(DigestAlgorithm(name: name))
        let nonce = try #require(challenge.value("nonce"))
        let nc = Array(Hex.encode([UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]).utf8)
        let ha1 = algorithm.ha1(username: Array("alice".utf8), realm: realm, password: password)
        let response = algorithm.response(
            ha1: ha1, nonce: nonce, nonceCount: nc, cnonce: Array("c0ffee".utf8), method: Array(method.utf8), uri: Array(uri.utf8))
        let header = "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"\(String(decoding: nonce, as: UTF8.self))\", "
            + "uri=\"\(uri)\", response=\"\(String(decoding: response, as: UTF8.self))\", algorithm=\(String(decoding: algorithm.name, as: UTF8.self)), "
            + "qop=auth, nc=\(String(decoding: nc, as: UTF8.self)), cnonce=\"c0ffee\""
        return try DigestCredentials(try SIPAuthentication.parse(Array(header.utf8), field: "Authorization"))
    }

    func verify(_ server: inout DigestAuthenticator, _ credentials: DigestCredentials, now: WallTime, secret: DigestSecret = .password(password)) -> DigestVerdict {
        return server.verify(credentials, method: .register, requestURI: Self.requestURI, secret: secret, now: now)
    }

    @Test func challengeAnswerAccepted() throws {
        var server = DigestAuthenticator(secret: Self.secret, realm: Self.realm)
        let challenges = server.challenges(now: at(1000))
        #expect(challenges.map { $0.value("algorithm") } == [Array("SHA-256".utf8), Array("MD5".utf8)])
        #expect(challenges[0].value("qop") == Array("auth".utf8))
        #expect(challenges[0].value("stale") == nil)
        // One nonce for both challenges: its nonce-count goes on across algorithms.
        #expect(challenges[0].value("nonce") == challenges[1].value("nonce"))
        #expect(verify(&server, try Self.answer(challenges[0], count: 1), now: at(1010)) == .accepted)
        #expect(verify(&server, try Self.answer(challenges[1], count: 2), now: at(1010)) == .accepted)
        // The stored HA1 works as the password does, for its algorithm only.
        let md5 = try Self.answer(challenges[1], count: 3)
        let ha1 = DigestAlgorithm.md5.ha1(username: Array("alice".utf8), realm: Self.realm, password: Self.password)
        #expect(verify(&server, md5, now: at(1010), secret: .ha1(.md5, ha1)) == .accepted)
        let sha = try Self.answer(challenges[0], count: 4)
        #expect(verify(&server, sha, now: at(1010), secret: .ha1(.md5, ha1)) == .rejected(.algorithmUnavailable))
    }

    @Test func wrongPasswordAndTampering() throws {
        var server = DigestAuthenticator(secret: Self.secret, realm: Self.realm)
        let challenge = server.challenges(now: at(1000))[0]
        #expect(verify(&server, try Self.answer(challenge, password: Array("wrong".utf8)), now: at(1001)) == .rejected(.wrongResponse))
        #expect(verify(&server, try Self.answer(challenge, uri: "sip:other.example"), now: at(1001)) == .rejected(.uriMismatch))
        #expect(verify(&server, try Self.answer(challenge, method: "INVITE"), now: at(1001)) == .rejected(.wrongResponse))
        // A nonce of another server secret (or edited) is not ours.
        var other = DigestAuthenticator(secret: [UInt8](repeating: 8, count: 32), realm: Self.realm)
        #expect(verify(&server, try Self.answer(other.challenges(now: at(1000))[0]), now: at(1001)) == .rejected(.unknownNonce))
        var flipped = try #require(challenge.value("nonce"))
        flipped[flipped.count - 1] = flipped[flipped.count - 1] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        var edited = challenge
        edited.parameters.set("nonce", SIPNameAddress.quote(flipped))
        #expect(verify(&server, try Self.answer(edited), now: at(1001)) == .rejected(.unknownNonce))
        // The failed attempts burnt no nonce-count: the right answer with nc=1 is accepted.
        #expect(verify(&server, try Self.answer(challenge), now: at(1001)) == .accepted)
    }

    /// RFC 2617 §3.2.2: the same nc twice is a replay; a higher one is fine.
    @Test func nonceCountReplay() throws {
        var server = DigestAuthenticator(secret: Self.secret, realm: Self.realm)
        let challenge = server.challenges(now: at(1000))[1]
        #expect(verify(&server, try Self.answer(challenge, count: 1), now: at(1001)) == .accepted)
        #expect(verify(&server, try Self.answer(challenge, count: 1), now: at(1002)) == .rejected(.replayed))
        #expect(verify(&server, try Self.answer(challenge, count: 3), now: at(1002)) == .accepted)
        #expect(verify(&server, try Self.answer(challenge, count: 2), now: at(1002)) == .rejected(.replayed))
    }

    /// RFC 2617 §3.2.1 stale=TRUE: an expired nonce with the right password is stale, with a
    /// wrong one rejected; nonces from the future are refused.
    @Test func staleAndFutureNonces() throws {
        var server = DigestAuthenticator(secret: Self.secret, realm: Self.realm, nonceLifetimeSeconds: 60)
        let challenge = server.challenges(now: at(1000))[0]
        #expect(verify(&server, try Self.answer(challenge), now: at(1061)) == .stale)
        #expect(verify(&server, try Self.answer(challenge, password: []), now: at(1061)) == .rejected(.wrongResponse))
        #expect(verify(&server, try Self.answer(challenge), now: at(1060)) == .accepted)
        #expect(server.challenges(now: at(1061), stale: true)[0].value("stale") == Array("true".utf8))
        #expect(verify(&server, try Self.answer(server.challenges(now: at(2000))[0]), now: at(1000)) == .rejected(.nonceFromFuture))
    }

    /// The replay table holds `replayCapacity` nonces; a nonce it had to forget is answered
    /// stale, never accepted again with an old count.
    @Test func replayTableIsBounded() throws {
        var server = DigestAuthenticator(secret: Self.secret, realm: Self.realm, replayCapacity: 4)
        let challenges = (0..<6).map { _ in server.challenges(now: at(1000))[0] }
        for challenge in challenges {
            #expect(verify(&server, try Self.answer(challenge), now: at(1001)) == .accepted)
        }
        #expect(server.nonceCounts.entries.count == 4)
        #expect(verify(&server, try Self.answer(challenges[0]), now: at(1001)) == .stale)
        #expect(verify(&server, try Self.answer(challenges[1], count: 5), now: at(1001)) == .stale)
        #expect(verify(&server, try Self.answer(challenges[5]), now: at(1001)) == .rejected(.replayed))
        #expect(verify(&server, try Self.answer(challenges[5], count: 2), now: at(1001)) == .accepted)
    }

    @Test(arguments: [
        "Basic realm=\"overlay.example\"",
        "Digest realm=\"overlay.example\", nonce=\"n\", uri=\"sip:overlay.example\", response=\"00000000000000000000000000000000\"",
        "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"n\", uri=\"sip:overlay.example\", response=\"0000\"",
        "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"n\", uri=\"sip:overlay.example\", response=\"00000000000000000000000000000000\", algorithm=SHA-512-256",
        "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"n\", uri=\"sip:overlay.example\", response=\"00000000000000000000000000000000\", qop=auth, nc=00000001",
        "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"n\", uri=\"sip:overlay.example\", response=\"00000000000000000000000000000000\", qop=auth, nc=1, cnonce=\"x\"",
        "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"n\", uri=\"sip:overlay.example\", response=\"0000000000000000000000000000000g\"",
    ])
    func malformedCredentials(text: String) throws {
        let header = try SIPAuthentication.parse(Array(text.utf8), field: "Authorization")
        #expect(throws: SIPError.self) { try DigestCredentials(header) }
    }

    @Test func credentialsWithoutQopAreRefused() throws {
        var server = DigestAuthenticator(secret: Self.secret, realm: Self.realm)
        let nonce = String(decoding: try #require(server.challenges(now: at(0))[1].value("nonce")), as: UTF8.self)
        let text = "Digest username=\"alice\", realm=\"overlay.example\", nonce=\"\(nonce)\", uri=\"sip:overlay.example\", response=\"00000000000000000000000000000000\""
        let credentials = try DigestCredentials(try SIPAuthentication.parse(Array(text.utf8), field: "Authorization"))
        #expect(credentials.algorithm == .md5)
        #expect(verify(&server, credentials, now: at(1)) == .rejected(.qopMissing))
    }
}
