import Foundation
import Reload
import SIP
import Testing
import Wire

@testable import SIPFront

/// Part 5 of the denial-of-service work: per-source budgets for REGISTER and INVITE (503 with
/// Retry-After, RFC 3261 §21.5.4, §20.33), Digest failure penalties per source and per user
/// name that grow (RFC 3261 §26.3.2.4), and the same answers for unknown and known users.
@Suite struct SourceLimitsTests {
    let now = WallTime(secondsSince1970: 1_700_000_000)

    func front(users: [String] = ["alice", "bob"], edit: (inout SIPFrontConfiguration) -> Void = { _ in }) -> SIPFront {
        var configuration = SIPFrontConfiguration(
            domain: Array(Fixture.domain.utf8), host: Array("192.168.1.1".utf8), port: 5060, nodeId: Fixture.nodeA,
            secret: Array(Fixture.nodeA.bytes + Fixture.nodeA.bytes), accounts: users.map { Fixture.account($0, ha1: $0 == "bob") })
        edit(&configuration)
        return SIPFront(configuration: configuration)
    }

    func sent(_ actions: [SIPFrontAction]) -> [SIPMessage] {
        var messages: [SIPMessage] = []
        for case .sendToPhone(let bytes, _) in actions { messages.append(try! SIPMessage.parse(datagram: bytes)) }
        return messages
    }

    func statuses(_ actions: [SIPFrontAction]) -> [Int] { sent(actions).map { $0.statusCode ?? 0 } }

    func retryAfter(_ message: SIPMessage?) -> String? {
        guard let field = message?.otherHeaders.first(where: { String(decoding: $0.name, as: UTF8.self) == "Retry-After" }) else { return nil }
        return String(decoding: field.value, as: UTF8.self)
    }

    /// A burst of REGISTERs from one source: the budget's worth are served (401), the rest
    /// get 503 with Retry-After and are counted; another source is still served; the budget
    /// comes back with time.
    @Test func registerBurstFromOneSource() {
        var front = front()
        var flooder = Phone("alice", host: "192.168.1.66")
        var answers: [Int] = []
        for _ in 0..<(SIPFrontLimits.defaultRegisterBurst + 5) {
            answers += statuses(front.receive(datagram: flooder.register(), from: flooder.address, now: now))
        }
        #expect(answers == Array(repeating: 401, count: SIPFrontLimits.defaultRegisterBurst) + Array(repeating: 503, count: 5))
        let refused = sent(front.receive(datagram: flooder.register(), from: flooder.address, now: now)).first
        #expect(refused?.reasonText == "Service Unavailable (rate limit)")
        #expect(retryAfter(refused) == String(60 / SIPFrontLimits.defaultRegisterRatePerMinute))
        #expect(front.counters.registersRateLimited == 6)
        // Another port of the same address is the same source; another address is not.
        var samePort = Phone("alice", host: "192.168.1.66", port: 5062)
        #expect(statuses(front.receive(datagram: samePort.register(), from: samePort.address, now: now)) == [503])
        var bob = Phone("bob", host: "192.168.1.20")
        #expect(statuses(front.receive(datagram: bob.register(), from: bob.address, now: now)) == [401])
        let later = now.adding(seconds: Int64(60 / SIPFrontLimits.defaultRegisterRatePerMinute))
        #expect(statuses(front.receive(datagram: flooder.register(), from: flooder.address, now: later)) == [401])
    }

    /// INVITEs and other requests outside a dialog have their own budget (here refused 403
    /// for an unregistered source until the budget is spent, then 503); a request inside a
    /// dialog (To tag) is not budgeted.
    @Test func inviteBurstFromOneSource() {
        var front = front()
        var caller = Phone("alice", host: "192.168.1.66")
        var answers: [Int] = []
        for index in 0..<(SIPFrontLimits.defaultRequestBurst + 3) {
            let invite = caller.request("INVITE", "sip:bob@" + Fixture.domain, to: "sip:bob@" + Fixture.domain, callId: "call-\(index)")
            answers += statuses(front.receive(datagram: invite, from: caller.address, now: now))
        }
        #expect(answers == Array(repeating: 403, count: SIPFrontLimits.defaultRequestBurst) + Array(repeating: 503, count: 3))
        #expect(front.counters.requestsRateLimited == 3)
        #expect(front.counters.registersRateLimited == 0)
        let bye = caller.request("BYE", "sip:bob@192.168.1.20", to: "sip:bob@" + Fixture.domain, toTag: "bobtag", callId: "call-0")
        #expect(statuses(front.receive(datagram: bye, from: caller.address, now: now)) == [403])
        // The REGISTER budget is apart: the phone can still register.
        #expect(statuses(front.receive(datagram: caller.register(), from: caller.address, now: now)) == [401])
    }

    /// 1,000 wrong guesses, one a second, then the right password from the same source: the
    /// guesses during the penalties are refused unchecked, and so is the right password.
    /// Only a handful of guesses is ever checked. The budget is opened wide here so that the
    /// penalty, not the token bucket, is what stops the run.
    @Test func passwordGuessingFromOneSource() throws {
        var front = front { $0.budgets.registerRatePerMinute = 6000; $0.budgets.registerBurst = 1000 }
        var attacker = Phone("alice", host: "192.168.1.66")
        var helper = Phone("bob", host: "192.168.1.20")
        let challenge = try #require(sent(front.receive(datagram: helper.register(), from: helper.address, now: now)).first?.wwwAuthenticates.first)
        var refused = 0
        for second in 0..<1000 {
            let guess = attacker.register(challenge: challenge, password: "guess \(second)", nonceCount: UInt32(second + 1))
            let answer = sent(front.receive(datagram: guess, from: attacker.address, now: now.adding(seconds: Int64(second))))
            #expect(answer.map { $0.statusCode } == [403])
            if answer.first?.reasonText == "Forbidden (too many failures)" { refused += 1 }
        }
        // 5 allowed, then one per penalty of 2, 4, ... 512 seconds, capped at 900.
        #expect(front.counters.digestFailures <= 15)
        #expect(refused >= 985)
        let end = now.adding(seconds: 1000)
        let fresh = try #require(sent(front.receive(datagram: helper.register(), from: helper.address, now: end)).first?.wwwAuthenticates.first)
        let right = sent(front.receive(datagram: attacker.register(challenge: fresh), from: attacker.address, now: end))
        #expect(right.map { $0.reasonText } == ["Forbidden (too many failures)"])
        #expect(front.registrationCount == 0)
    }

    /// The same run spread over 1,000 sources meets the user name's penalty: the right
    /// password from yet another source is refused, while the run lasts.
    @Test func passwordGuessingFromManySources() throws {
        var front = front()
        var helper = Phone("bob", host: "192.168.1.20")
        let challenge = try #require(sent(front.receive(datagram: helper.register(), from: helper.address, now: now)).first?.wwwAuthenticates.first)
        for index in 0..<1000 {
            var attacker = Phone("alice", host: "10.0.\(index / 250).\(index % 250 + 1)")
            let guess = attacker.register(challenge: challenge, password: "guess \(index)", nonceCount: UInt32(index + 1))
            #expect(statuses(front.receive(datagram: guess, from: attacker.address, now: now)) == [403])
        }
        #expect(front.counters.digestFailures == UInt64(SIPFrontLimits.allowedRegisterFailures))
        #expect(front.counters.refusedUserPenalty == UInt64(1000 - SIPFrontLimits.allowedRegisterFailures))
        var alice = Phone("alice", host: "192.168.1.10")
        let right = sent(front.receive(datagram: alice.register(challenge: challenge, nonceCount: 5000), from: alice.address, now: now))
        #expect(right.map { $0.reasonText } == ["Forbidden (too many failures)"])
    }

    /// The answers of one sequence of REGISTERs: none, then wrong credentials up to the
    /// penalty and beyond, the Authorization of each written for `user` with `algorithm`; the
    /// rest of every request is alice's. Nonces are masked.
    func answers(user: String, algorithm: Int) throws -> [String] {
        var front = front()
        var phone = Phone("alice", host: "192.168.1.66")
        var texts: [String] = []
        let first = sent(front.receive(datagram: phone.register(), from: phone.address, now: now))
        texts += first.map { $0.text }
        let challenge = try #require(first.first?.wwwAuthenticates[algorithm])
        for attempt in 0..<(SIPFrontLimits.allowedRegisterFailures + 2) {
            let count = UInt32(attempt + 1)
            var text = String(decoding: phone.register(challenge: challenge, password: "guess", nonceCount: count), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").map { line in
                line.hasPrefix("Authorization: ") ? "Authorization: " + Phone.credentials(user, "guess", challenge, count: count) : line
            }
            text = lines.joined(separator: "\r\n")
            texts += sent(front.receive(datagram: Array(text.utf8), from: phone.address, now: now)).map { $0.text }
        }
        return texts.map { $0.replacingOccurrences(of: "nonce=\"[0-9a-f]+\"", with: "nonce=\"\"", options: .regularExpression) }
    }

    /// An unknown user gets byte for byte the answers of a known user with a wrong password
    /// (apart from the nonce), for both algorithms, and for an account stored as the HA1 of
    /// another algorithm (bob's is SHA-256).
    @Test(arguments: [0, 1]) func unknownUserAnswersLikeKnown(algorithm: Int) throws {
        let known = try answers(user: "alice", algorithm: algorithm)
        let unknown = try answers(user: "mallory", algorithm: algorithm)
        let storedHA1 = try answers(user: "bob", algorithm: algorithm)
        #expect(known.count == SIPFrontLimits.allowedRegisterFailures + 3)
        #expect(known.first?.hasPrefix("SIP/2.0 401 ") == true)
        #expect(known.last?.contains("403 Forbidden (too many failures)") == true)
        #expect(unknown == known)
        #expect(storedHA1 == known)
    }

    /// The tables keyed by sources and user names stay within their bounds under 10,000
    /// sources, and a source deep in its penalty stays there.
    @Test func tablesBoundedUnderManySources() throws {
        var front = front()
        var guesser = Phone("carol", host: "192.168.1.66")
        var helper = Phone("bob", host: "192.168.1.20")
        let challenge = try #require(sent(front.receive(datagram: helper.register(), from: helper.address, now: now)).first?.wwwAuthenticates.first)
        // One guess a second for 600 s: the guesser's penalty ends after the flood below.
        for second in 0..<600 {
            let guess = guesser.register(challenge: challenge, password: "x", nonceCount: UInt32(second + 1))
            _ = front.receive(datagram: guess, from: guesser.address, now: now.adding(seconds: Int64(second)))
        }
        let start = now.adding(seconds: 600)
        for index in 0..<10_000 {
            var phone = Phone("user\(index)", host: "10.\(index / 62500).\(index / 250 % 250).\(index % 250 + 1)")
            phone.password = "x"
            let at = start.adding(seconds: Int64(index / 100))
            _ = front.receive(datagram: phone.register(challenge: challenge, nonceCount: 1), from: phone.address, now: at)
            let invite = phone.request("INVITE", "sip:bob@" + Fixture.domain, to: "sip:bob@" + Fixture.domain, callId: "c\(index)")
            _ = front.receive(datagram: invite, from: phone.address, now: at)
            let counts = front.sourceTableCounts
            #expect(counts.register <= SIPFrontLimits.defaultSourceTableCapacity)
            #expect(counts.request <= SIPFrontLimits.defaultSourceTableCapacity)
            #expect(counts.failures <= SIPFrontLimits.failureTableCapacity)
            #expect(counts.userFailures <= SIPFrontLimits.userFailureTableCapacity)
        }
        #expect(front.sourceTableCounts.register == SIPFrontLimits.defaultSourceTableCapacity)
        #expect(front.counters.digestFailures >= 10_000)
        let end = start.adding(seconds: 100)
        #expect(sent(front.receive(datagram: guesser.register(), from: guesser.address, now: end)).first?.reasonText == "Forbidden (too many failures)")
    }

    @Test func limitRelations() {
        #expect(SIPFrontLimits.basePenaltySeconds <= SIPFrontLimits.maximumPenaltySeconds)
        #expect(SIPFrontLimits.ratePerMinuteRange.contains(SIPFrontLimits.defaultRegisterRatePerMinute))
        #expect(SIPFrontLimits.ratePerMinuteRange.contains(SIPFrontLimits.defaultRequestRatePerMinute))
        #expect(SIPFrontLimits.burstRange.contains(SIPFrontLimits.defaultRegisterBurst))
        #expect(SIPFrontLimits.burstRange.contains(SIPFrontLimits.defaultRequestBurst))
        #expect(SIPFrontLimits.ratePerMinuteRange.upperBound <= SIPLimits.maximumRatePerMinute)
        #expect(SIPFrontLimits.burstRange.upperBound <= SIPLimits.maximumBurst)
        #expect(SIPFrontLimits.sourceTableCapacityRange.contains(SIPFrontLimits.defaultSourceTableCapacity))
        // A phone's refresh (REGISTER, challenge, REGISTER) fits its budget several times.
        #expect(SIPFrontLimits.defaultRegisterBurst >= 2 * SIPFrontLimits.allowedRegisterFailures)
    }
}
