import Foundation
import Reload
import SIP
import Testing

@testable import SIPFront
import Wire

/// RFC 3261 §10.3 with digest (§22) and the overlay as location service (RFC 7904 §3).
@Suite struct RegistrarTests {
    let now = WallTime(secondsSince1970: 1_700_000_000)

    func sent(_ actions: [SIPFrontAction]) throws -> [SIPMessage] {
        var messages: [SIPMessage] = []
        for case .sendToPhone(let bytes, _) in actions { messages.append(try SIPMessage.parse(datagram: bytes)) }
        return messages
    }

    func stores(_ actions: [SIPFrontAction]) -> [RegistrationStore] {
        var stores: [RegistrationStore] = []
        for case .storeRegistration(let store) in actions { stores.append(store) }
        return stores
    }

    /// 401 first; the answer is stored in the overlay; 200 only after the Store succeeded.
    @Test func challengeStoreThenOK() throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice"])
        var alice = Phone("alice", host: "192.168.1.10")
        let first = try sent(front.receive(datagram: alice.register(), from: alice.address, now: now))
        #expect(first.map { $0.statusCode } == [401])
        #expect(first[0].wwwAuthenticates.map { $0.value("algorithm") } == [Array("SHA-256".utf8), Array("MD5".utf8)])
        #expect(first[0].to.tag != nil)
        let actions = front.receive(datagram: alice.register(challenge: first[0].wwwAuthenticates[1]), from: alice.address, now: now.adding(seconds: 1))
        #expect(try sent(actions).isEmpty, "no answer before the overlay stored the registration")
        let store = try #require(stores(actions).first)
        #expect(store.addressOfRecord == Fixture.aor("alice"))
        #expect(store.dictionaryKey == Fixture.nodeA)
        #expect(store.value == .route(contactPrefs: [], destinationList: [.node(Fixture.nodeA)]))
        #expect(store.lifetimeSeconds == 3600)
        #expect(front.registrationCount == 0)
        let done = try sent(front.overlayStoreCompleted(storeId: store.storeId, result: .stored, now: now.adding(seconds: 2)))
        #expect(done.map { $0.statusCode } == [200])
        #expect(done[0].contacts.map { $0.uri.text } == [alice.contact])
        #expect(done[0].contacts[0].parameters.value("expires") == Array("3599".utf8))
        #expect(front.contacts(of: Fixture.aor("alice"), now: now.adding(seconds: 2)).map { $0.text } == [alice.contact])
        // A second result for the same store changes nothing.
        #expect(try sent(front.overlayStoreCompleted(storeId: store.storeId, result: .stored, now: now.adding(seconds: 2))).isEmpty)
    }

    /// The stored HA1 works like the password (bob's account holds HA1 of SHA-256).
    @Test func ha1Account() {
        var overlay = Overlay([Fixture.front(Fixture.nodeB, users: ["bob"])])
        var bob = Phone("bob", host: "192.168.2.20")
        overlay.register(&bob, at: Fixture.nodeB)
        #expect(overlay.fronts[Fixture.nodeB]!.registrationCount == 1)
    }

    /// A failed Store answers 500 or 503 and leaves no binding.
    @Test(arguments: [(RegistrationStoreResult.refused, 500), (.unreachable, 503)])
    func storeFailure(result: RegistrationStoreResult, status: Int) throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice"])
        var alice = Phone("alice", host: "192.168.1.10")
        let challenge = try sent(front.receive(datagram: alice.register(), from: alice.address, now: now))[0].wwwAuthenticates[0]
        let store = try #require(stores(front.receive(datagram: alice.register(challenge: challenge), from: alice.address, now: now)).first)
        #expect(try sent(front.overlayStoreCompleted(storeId: store.storeId, result: result, now: now)).map { $0.statusCode } == [status])
        #expect(front.registrationCount == 0)
    }

    /// Wrong password: 403 and a counted failure; at the limit even the right password is
    /// refused from that source, and for that user name from another source until the
    /// penalty is over; the count decays.
    @Test func wrongPasswordAndRateLimit() throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice"])
        var alice = Phone("alice", host: "192.168.1.10")
        var challenge = try sent(front.receive(datagram: alice.register(), from: alice.address, now: now))[0].wwwAuthenticates[0]
        for attempt in 0..<SIPFrontLimits.allowedRegisterFailures {
            let bytes = alice.register(challenge: challenge, password: "guess", nonceCount: UInt32(attempt + 1))
            let answer = try sent(front.receive(datagram: bytes, from: alice.address, now: now))
            #expect(answer.map { $0.statusCode } == [403])
            #expect(answer.first?.reasonText == "Forbidden (wrong response)")
        }
        let right = alice.register(challenge: challenge, nonceCount: 10)
        let blocked = try sent(front.receive(datagram: right, from: alice.address, now: now))
        #expect(blocked.first?.reasonText == "Forbidden (too many failures)")
        #expect(front.counters.refusedSourcePenalty == 1)
        #expect(front.counters.digestFailures == UInt64(SIPFrontLimits.allowedRegisterFailures))
        // The same user from another address meets the user name's penalty...
        var moved = Phone("alice", host: "192.168.1.11")
        challenge = try sent(front.receive(datagram: moved.register(), from: moved.address, now: now))[0].wwwAuthenticates[0]
        let refused = try sent(front.receive(datagram: moved.register(challenge: challenge), from: moved.address, now: now))
        #expect(refused.first?.reasonText == "Forbidden (too many failures)")
        #expect(front.counters.refusedUserPenalty == 1)
        // ...until it is over.
        let after = now.adding(seconds: SIPFrontLimits.basePenaltySeconds)
        challenge = try sent(front.receive(datagram: moved.register(), from: moved.address, now: after))[0].wwwAuthenticates[0]
        let movedStore = try #require(stores(front.receive(datagram: moved.register(challenge: challenge), from: moved.address, now: after)).first)
        #expect(try sent(front.overlayStoreCompleted(storeId: movedStore.storeId, result: .stored, now: after)).map { $0.statusCode } == [200])
        // One failure decays after registerFailureDecaySeconds: the blocked source may try again.
        let later = now.adding(seconds: SIPFrontLimits.registerFailureDecaySeconds + 1)
        challenge = try sent(front.receive(datagram: alice.register(), from: alice.address, now: later))[0].wwwAuthenticates[0]
        #expect(stores(front.receive(datagram: alice.register(callId: "other", challenge: challenge), from: alice.address, now: later)).count == 1)
    }

    /// An unknown user and another user's AOR are refused.
    @Test func unknownUserAndForeignAOR() throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice", "carol"])
        var mallory = Phone("mallory", host: "192.168.1.66")
        mallory.password = "x"
        let challenge = try sent(front.receive(datagram: mallory.register(), from: mallory.address, now: now))[0].wwwAuthenticates[0]
        let unknown = try sent(front.receive(datagram: mallory.register(challenge: challenge), from: mallory.address, now: now))
        // The answer of a wrong password (UnknownUserTests compares them byte for byte).
        #expect(unknown.first?.reasonText == "Forbidden (wrong response)")
        // carol's credentials for alice's AOR (§10.3 step 6).
        var carol = Phone("carol", host: "192.168.1.12")
        let text = String(decoding: carol.register(challenge: challenge), as: UTF8.self)
            .replacingOccurrences(of: "To: <sip:carol@", with: "To: <sip:alice@")
        let foreign = try sent(front.receive(datagram: Array(text.utf8), from: carol.address, now: now))
        #expect(foreign.first?.reasonText == "Forbidden (not your address of record)")
        #expect(front.registrationCount == 0)
    }

    /// RFC 2617 §3.2.1: an old nonce with the right password earns stale=true.
    @Test func staleNonce() throws {
        var front = Fixture.front(Fixture.nodeA, users: ["alice"])
        var alice = Phone("alice", host: "192.168.1.10")
        let challenge = try sent(front.receive(datagram: alice.register(), from: alice.address, now: now))[0].wwwAuthenticates[0]
        let late = now.adding(seconds: SIPLimits.defaultNonceLifetimeSeconds + 1)
        let answer = try sent(front.receive(datagram: alice.register(challenge: challenge), from: alice.address, now: late))
        #expect(answer.map { $0.statusCode } == [401])
        #expect(answer.first?.wwwAuthenticates.first?.value("stale") == Array("true".utf8))
    }

    /// Refresh, retransmission, 423, unregister with Expires: 0 and with `*`, expiry on tick.
    @Test func refreshUnregisterAndExpiry() throws {
        var overlay = Overlay([Fixture.front(Fixture.nodeA, users: ["alice"])])
        var alice = Phone("alice", host: "192.168.1.10")
        overlay.register(&alice, at: Fixture.nodeA, expires: "120")
        #expect(overlay.store[Fixture.aor("alice").resourceName]?[Fixture.nodeA] != nil)
        // Too brief (§10.3 step 7), after the challenge.
        overlay.phone(alice, sends: alice.register(expires: "10"), to: Fixture.nodeA)
        let challenge = try #require(overlay.take(alice).first?.wwwAuthenticates.first)
        overlay.phone(alice, sends: alice.register(expires: "10", challenge: challenge, nonceCount: 1), to: Fixture.nodeA)
        var answer = overlay.take(alice)
        #expect(answer.map { $0.statusCode } == [423])
        #expect(answer.first?.values(of: "Min-Expires") == [Array("60".utf8)])
        // Unregister with Expires: 0.
        let unregister = alice.register(expires: "0", challenge: challenge, nonceCount: 2)
        overlay.phone(alice, sends: unregister, to: Fixture.nodeA)
        answer = overlay.take(alice)
        #expect(answer.map { $0.statusCode } == [200])
        #expect(answer.first?.contacts.isEmpty == true)
        #expect(overlay.fronts[Fixture.nodeA]!.registrationCount == 0)
        #expect(overlay.store[Fixture.aor("alice").resourceName]?[Fixture.nodeA] == nil)
        // A retransmission gets the same answer, not a CSeq error.
        overlay.phone(alice, sends: unregister, to: Fixture.nodeA)
        #expect(overlay.take(alice).map { $0.statusCode } == [200])
        // Register again, then `Contact: *`.
        overlay.register(&alice, at: Fixture.nodeA, expires: "120")
        overlay.phone(alice, sends: alice.register(expires: "0", contact: "*", challenge: challenge, nonceCount: 3), to: Fixture.nodeA)
        #expect(overlay.take(alice).map { $0.statusCode } == [200])
        #expect(overlay.fronts[Fixture.nodeA]!.registrationCount == 0)
        // Expiry on tick.
        overlay.register(&alice, at: Fixture.nodeA, expires: "120")
        overlay.now = overlay.now.adding(seconds: 119)
        overlay.tick(Fixture.nodeA)
        #expect(overlay.fronts[Fixture.nodeA]!.registrationCount == 1)
        overlay.now = overlay.now.adding(seconds: 2)
        overlay.tick(Fixture.nodeA)
        #expect(overlay.fronts[Fixture.nodeA]!.registrationCount == 0)
        #expect(overlay.store[Fixture.aor("alice").resourceName]?[Fixture.nodeA] == nil)
    }

    /// The registration table is bounded: past it, 503 and nothing stored.
    @Test func registrationCapacity() throws {
        var overlay = Overlay([Fixture.front(Fixture.nodeA, users: ["alice"], registrationCapacity: 1)])
        var alice = Phone("alice", host: "192.168.1.10")
        overlay.register(&alice, at: Fixture.nodeA)
        var second = Phone("alice", host: "192.168.1.10", port: 5070)
        overlay.phone(second, sends: second.register(callId: "second"), to: Fixture.nodeA)
        let challenge = try #require(overlay.take(second).first?.wwwAuthenticates.first)
        overlay.phone(second, sends: second.register(callId: "second", challenge: challenge), to: Fixture.nodeA)
        #expect(overlay.take(second).map { $0.statusCode } == [503])
        #expect(overlay.fronts[Fixture.nodeA]!.registrationCount == 1)
    }

    @Test func limitRelations() {
        #expect(SIPFrontLimits.minimumExpiresSeconds < SIPFrontLimits.defaultExpiresSeconds)
        #expect(SIPFrontLimits.defaultExpiresSeconds <= SIPFrontLimits.maximumExpiresSeconds)
        #expect(SIPFrontLimits.transactionSeconds < SIPFrontLimits.inviteTimeoutSeconds)
        #expect(SIPFrontLimits.inviteTimeoutSeconds > 180)
        #expect(SIPFrontLimits.contactsPerAddressOfRecord <= SIPFrontLimits.defaultRegistrationCapacity)
        #expect(SIPFrontLimits.storeTimeoutSeconds <= Int64(SIPFrontLimits.minimumExpiresSeconds))
    }
}
