import Foundation
import Reload
import SIP
import Testing

@testable import SIPFront

/// RFC 3261 §16.3 step 1, §21.4.1: bad requests are answered 400 (505, 416, 513) with a
/// reason phrase naming the problem; nothing traps.
@Suite struct MalformedTests {
    /// RFC 4475's messages, exact bytes (Tests/SIPTests/Torture, expanded from the RFC).
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SIPTests/Torture")

    func setUp() -> (Overlay, Phone) {
        var overlay = Overlay([Fixture.front(Fixture.nodeA, users: ["alice"]), Fixture.front(Fixture.nodeB, users: ["bob"])])
        var alice = Phone("alice", host: "192.168.1.10")
        overlay.register(&alice, at: Fixture.nodeA)
        return (overlay, alice)
    }

    /// RFC 4475's invalid requests (§3.1.2): each answered with the status and the reason
    /// phrase of the parser's error, when the headers of a response can be found at all.
    @Test func tortureRequestsGetTheParsersAnswer() throws {
        var (overlay, alice) = setUp()
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".sip") }.sorted()
        var answered = 0
        for name in names {
            let bytes = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            let expected: SIPError
            do {
                _ = try SIPMessage.parse(datagram: bytes)
                continue
            } catch {
                expected = error
            }
            overlay.phone(alice, sends: bytes, to: Fixture.nodeA)
            let answers = overlay.take(alice)
            #expect(answers.count <= 1, "\(name)")
            guard let answer = answers.first else { continue }
            answered += 1
            #expect(answer.statusCode == expected.statusCode, "\(name)")
            #expect(answer.reasonText == expected.reasonPhrase, "\(name)")
            #expect(answer.to.tag != nil, "\(name)")
        }
        #expect(answered >= 10)
    }

    @Test func specificFaults() throws {
        var (overlay, alice) = setUp()
        let invite = String(decoding: alice.request("INVITE", "sip:bob@" + Fixture.domain, to: "sip:bob@" + Fixture.domain, callId: "m1", cseq: 1), as: UTF8.self)
        let cases: [(String, String, Int, String)] = [
            ("Max-Forwards: 70", "Max-Forwards: seventy", 400, "Bad Request (malformed Max-Forwards)"),
            // A broken CSeq would be echoed into the 400: nothing valid can be answered.
            ("CSeq: 1 INVITE", "CSeq: one INVITE", 0, ""),
            ("Call-ID: m1\r\n", "", 400, "Bad Request (missing Call-ID)"),
            ("SIP/2.0\r\n", "SIP/3.0\r\n", 505, "Version Not Supported"),
            ("INVITE sip:bob@", "INVITE tel:bob@", 416, "Unsupported URI Scheme"),
            (";branch=z9hG4bK", ";branch=old", 400, "Bad Request (malformed Via)"),
        ]
        for (original, replacement, status, reason) in cases {
            let text = invite.replacingOccurrences(of: original, with: replacement)
            #expect(text != invite)
            overlay.phone(alice, sends: Array(text.utf8), to: Fixture.nodeA)
            let answers = overlay.take(alice)
            if status == 0 || replacement.isEmpty {
                // No Call-ID or a broken CSeq: no valid response can be formed (§8.2.6.2).
                #expect(answers.isEmpty)
                continue
            }
            #expect(answers.map { $0.statusCode } == [status], "\(replacement)")
            #expect(answers.first?.reasonText == reason)
            #expect(answers.first?.callId == Array("m1".utf8))
        }
        // A REGISTER whose To is no AOR, after authentication.
        overlay.phone(alice, sends: alice.register(), to: Fixture.nodeA)
        let challenge = try #require(overlay.take(alice).first?.wwwAuthenticates.first)
        let text = String(decoding: alice.register(challenge: challenge), as: UTF8.self)
            .replacingOccurrences(of: "To: <sip:alice@", with: "To: <sip:")
        overlay.phone(alice, sends: Array(text.utf8), to: Fixture.nodeA)
        #expect(overlay.take(alice).map { $0.reasonText } == ["Bad Request (malformed To)"])
        // Garbage and a response we never asked for are dropped.
        overlay.phone(alice, sends: [0, 1, 2, 0xFF], to: Fixture.nodeA)
        overlay.phone(alice, sends: Array("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKq\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: q\r\nCSeq: 1 INVITE\r\n\r\n".utf8), to: Fixture.nodeA)
        #expect(overlay.take(alice).isEmpty)
    }

    /// Seeded mutations of the requests of a call, from a phone and from a peer: nothing
    /// traps, every message the fronts send parses (the harness checks), and the tables stay
    /// within their capacities.
    @Test func mutatedRequestsNeverTrap() throws {
        var (overlay, alice) = setUp()
        var bob = Phone("bob", host: "192.168.1.20")
        overlay.register(&bob, at: Fixture.nodeB)
        var state: UInt64 = 0x5EED_0000_0000_0001
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let originals = [
            alice.request("INVITE", bob.aor, to: bob.aor, callId: "f1", body: "v=0\r\n"),
            alice.request("BYE", bob.contact, to: bob.aor, toTag: "t", callId: "f2", routes: ["<sip:192.168.1.1:5060;lr;node=" + Fixture.nodeB.hex + ">"]),
            alice.request("CANCEL", bob.aor, to: bob.aor, callId: "f3"),
            alice.register(),
        ]
        let alphabet = Array(" \r\n:;,<>\"\\@%=?[]0aZ\t".utf8)
        for round in 0..<3000 {
            var bytes = originals[round % originals.count]
            for _ in 0...(next() % 3) where !bytes.isEmpty { bytes[next() % bytes.count] = alphabet[next() % alphabet.count] }
            if next() % 5 == 0 { bytes = Array(bytes.prefix(next() % (bytes.count + 1))) }
            if round % 2 == 0 {
                overlay.phone(alice, sends: bytes, to: Fixture.nodeA)
            } else {
                overlay.run(overlay.fronts[Fixture.nodeB]!.received(fromOverlay: bytes, from: Fixture.nodeA, now: overlay.now), at: Fixture.nodeB)
            }
            _ = overlay.take(alice)
            _ = overlay.take(bob)
        }
        #expect(overlay.fronts[Fixture.nodeA]!.transactionCount <= SIPFrontLimits.defaultTransactionCapacity)
        #expect(overlay.fronts[Fixture.nodeB]!.registrationCount == 1)
    }
}
