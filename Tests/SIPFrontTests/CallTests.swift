import Foundation
import Reload
import SIP
import Testing

@testable import SIPFront

/// Calls between phones of two fronts through the fake overlay (RFC 7904 §4, §5 over
/// RFC 3261 §16): alice at front A, bob at front B.
@Suite struct CallTests {
    let a = Fixture.nodeA
    let b = Fixture.nodeB

    func setUp() -> (Overlay, Phone, Phone) {
        var overlay = Overlay([Fixture.front(a, users: ["alice", "carol"]), Fixture.front(b, users: ["bob"])])
        var alice = Phone("alice", host: "192.168.1.10")
        var bob = Phone("bob", host: "192.168.1.20")
        overlay.register(&alice, at: a)
        overlay.register(&bob, at: b)
        return (overlay, alice, bob)
    }

    func invite(_ alice: inout Phone, to uri: String, callId: String = "call-1", branch: String = "z9hG4bKinvite1") -> [UInt8] {
        return alice.request(
            "INVITE", uri, to: uri, callId: callId, fromTag: "alicetag", cseq: 1, branch: branch,
            headers: ["Content-Type: application/sdp"], body: "v=0\r\no=alice 1 1 IN IP4 192.168.1.10\r\n")
    }

    /// What bob's UA answers: the request's Vias, From, To (+ our tag), Call-ID, CSeq, and for
    /// a dialog-creating INVITE its Record-Route and our Contact (RFC 3261 §12.1.1).
    func answer(_ request: SIPMessage, _ status: Int, _ reason: String, by phone: Phone, tag: String = "bobtag") -> [UInt8] {
        var response = SIPMessage.response(to: request, statusCode: status, reason: Array(reason.utf8), toTag: Array(tag.utf8))
        if request.method == .invite {
            response.recordRoutes = request.recordRoutes
            response.contacts = [SIPNameAddress(uri: try! SIPURI.parse(Array(phone.contact.utf8), field: "Contact"))]
        }
        return response.serialize()
    }

    @Test func wholeCall() throws {
        var (overlay, alice, bob) = setUp()
        overlay.phone(alice, sends: invite(&alice, to: bob.aor), to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [100])
        let received = try #require(overlay.take(bob).first)
        #expect(received.method == .invite)
        #expect(received.requestURI?.text == bob.contact)
        #expect(received.via.count == 3)
        #expect(received.via.last?.branch == Array("z9hG4bKinvite1".utf8))
        #expect(received.recordRoutes.map { SIPFront.nodeParameter($0.uri) } == [b, a])
        #expect(received.callId == Array("call-1".utf8))
        #expect(received.cseq == SIPCSeq(number: 1, method: .invite))
        #expect(received.from.tag == Array("alicetag".utf8))
        #expect(received.to.tag == nil)
        #expect(received.maxForwards == 68)
        #expect(received.body == Array("v=0\r\no=alice 1 1 IN IP4 192.168.1.10\r\n".utf8))

        overlay.phone(bob, sends: answer(received, 180, "Ringing", by: bob), to: b)
        overlay.phone(bob, sends: answer(received, 200, "OK", by: bob), to: b)
        let answers = overlay.take(alice)
        #expect(answers.map { $0.statusCode } == [180, 200])
        for response in answers {
            #expect(response.via.count == 1)
            #expect(response.via.first?.branch == Array("z9hG4bKinvite1".utf8))
            #expect(response.to.tag == Array("bobtag".utf8))
            #expect(response.from.tag == Array("alicetag".utf8))
            #expect(response.callId == Array("call-1".utf8))
            #expect(response.cseq == SIPCSeq(number: 1, method: .invite))
        }
        let ok = answers[1]

        // alice's ACK follows the route set: Record-Route reversed (RFC 3261 §12.1.2).
        let aliceRoutes = ok.recordRoutes.reversed().map { "<" + $0.uri.text + ">" }
        let ack = alice.request(
            "ACK", ok.contacts[0].uri.text, to: bob.aor, toTag: "bobtag", callId: "call-1", fromTag: "alicetag", cseq: 1,
            routes: aliceRoutes)
        overlay.phone(alice, sends: ack, to: a)
        let acked = overlay.take(bob)
        #expect(acked.map { $0.method } == [.ack])
        #expect(acked.first?.requestURI?.text == bob.contact)
        #expect(acked.first?.routes.isEmpty == true)
        #expect(acked.first?.cseq == SIPCSeq(number: 1, method: .ack))
        #expect(acked.first?.to.tag == Array("bobtag".utf8))

        // bob hangs up: his route set is the Record-Route as received (§12.1.1).
        let bobRoutes = received.recordRoutes.map { "<" + $0.uri.text + ">" }
        let bye = bob.request(
            "BYE", received.contacts[0].uri.text, to: alice.aor, toTag: "alicetag", callId: "call-1", fromTag: "bobtag", cseq: 1,
            routes: bobRoutes)
        overlay.phone(bob, sends: bye, to: b)
        let byes = overlay.take(alice)
        #expect(byes.map { $0.method } == [.bye])
        let byeReceived = try #require(byes.first)
        #expect(byeReceived.requestURI?.text == alice.contact)
        #expect(byeReceived.via.count == 3)
        #expect(byeReceived.from.tag == Array("bobtag".utf8))
        #expect(byeReceived.to.tag == Array("alicetag".utf8))
        overlay.phone(alice, sends: answer(byeReceived, 200, "OK", by: alice, tag: "alicetag"), to: a)
        let byeOK = overlay.take(bob)
        #expect(byeOK.map { $0.statusCode } == [200])
        #expect(byeOK.first?.cseq == SIPCSeq(number: 1, method: .bye))
        #expect(byeOK.first?.via.count == 1)
        #expect(overlay.take(alice).isEmpty)

        // Every transaction is forgotten after Timer J / Timer C.
        overlay.now = overlay.now.adding(seconds: SIPFrontLimits.transactionSeconds + 1)
        overlay.tick(a)
        overlay.tick(b)
        #expect(overlay.fronts[a]!.transactionCount == 0)
        #expect(overlay.fronts[b]!.transactionCount == 0)
        #expect(overlay.take(alice).isEmpty && overlay.take(bob).isEmpty)
    }

    /// A call between two phones of the same front never leaves it.
    @Test func localCall() throws {
        var (overlay, alice, _) = setUp()
        var carol = Phone("carol", host: "192.168.1.30")
        overlay.register(&carol, at: a)
        let before = overlay.overlayMessages
        overlay.phone(alice, sends: invite(&alice, to: carol.aor), to: a)
        let received = try #require(overlay.take(carol).first)
        #expect(received.requestURI?.text == carol.contact)
        #expect(received.via.count == 2)
        #expect(received.recordRoutes.count == 1)
        #expect(overlay.overlayMessages == before)
        #expect(overlay.lookups == 1)
    }

    @Test func unknownUserIs404() {
        var (overlay, alice, _) = setUp()
        overlay.phone(alice, sends: invite(&alice, to: "sip:nobody@" + Fixture.domain), to: a)
        let answers = overlay.take(alice)
        #expect(answers.map { $0.statusCode } == [100, 404])
        #expect(answers.last?.to.tag != nil)
        // Another domain is not ours to serve.
        overlay.phone(alice, sends: invite(&alice, to: "sip:bob@elsewhere.example", branch: "z9hG4bKinvite2"), to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [404])
    }

    @Test func unreachableIs480() {
        var (overlay, alice, bob) = setUp()
        overlay.lookupResult = .unreachable
        overlay.phone(alice, sends: invite(&alice, to: bob.aor), to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [100, 480])
        // The lookup works but the peer cannot be reached.
        overlay.lookupResult = nil
        overlay.unreachable = [b]
        overlay.phone(alice, sends: invite(&alice, to: bob.aor, callId: "call-2", branch: "z9hG4bKinvite2"), to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [100, 480])
        #expect(overlay.take(bob).isEmpty)
    }

    /// RFC 3261 §16.10: CANCEL answered 200 at each hop, sent on; 487 comes back; the ACK of
    /// the 487 is hop by hop.
    @Test func cancel() throws {
        var (overlay, alice, bob) = setUp()
        overlay.phone(alice, sends: invite(&alice, to: bob.aor), to: a)
        let received = try #require(overlay.take(bob).first)
        // §9.1: no CANCEL goes on before a provisional response.
        let cancel = alice.request("CANCEL", bob.aor, to: bob.aor, callId: "call-1", fromTag: "alicetag", cseq: 1, branch: "z9hG4bKinvite1")
        overlay.phone(alice, sends: cancel, to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [100, 200])
        #expect(overlay.take(bob).isEmpty)
        overlay.phone(bob, sends: answer(received, 180, "Ringing", by: bob), to: b)
        let cancels = overlay.take(bob)
        #expect(cancels.map { $0.method } == [.cancel])
        let cancelReceived = try #require(cancels.first)
        #expect(cancelReceived.requestURI == received.requestURI)
        #expect(cancelReceived.via.first?.branch == received.via.first?.branch)
        #expect(cancelReceived.cseq == SIPCSeq(number: 1, method: .cancel))
        overlay.phone(bob, sends: answer(cancelReceived, 200, "OK", by: bob), to: b)
        overlay.phone(bob, sends: answer(received, 487, "Request Terminated", by: bob), to: b)
        #expect(overlay.take(alice).map { $0.statusCode } == [180, 487])
        let acks = overlay.take(bob)
        #expect(acks.map { $0.method } == [.ack])
        #expect(acks.first?.to.tag == Array("bobtag".utf8))
        #expect(acks.first?.via.first?.branch == received.via.first?.branch)
        // alice's ACK of the 487 ends at front A.
        let sent = overlay.overlayMessages
        let ack = alice.request("ACK", bob.aor, to: bob.aor, toTag: "bobtag", callId: "call-1", fromTag: "alicetag", cseq: 1, branch: "z9hG4bKinvite1")
        overlay.phone(alice, sends: ack, to: a)
        #expect(overlay.overlayMessages == sent)
        #expect(overlay.take(bob).isEmpty)
        // A CANCEL for nothing we know.
        overlay.phone(alice, sends: alice.request("CANCEL", bob.aor, to: bob.aor, callId: "x", branch: "z9hG4bKnothing"), to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [481])
    }

    @Test func options() throws {
        var (overlay, alice, bob) = setUp()
        // To the front itself: answered even for a phone not registered.
        var stranger = Phone("stranger", host: "192.168.1.99")
        overlay.phone(stranger, sends: stranger.request("OPTIONS", "sip:" + Fixture.domain, to: "sip:" + Fixture.domain, callId: "o1"), to: a)
        let answer = try #require(overlay.take(stranger).first)
        #expect(answer.statusCode == 200)
        #expect(answer.values(of: "Allow") == [Array(SIPFront.allowedMethods.utf8)])
        // To bob: proxied like any request, and the answer comes back.
        overlay.phone(alice, sends: alice.request("OPTIONS", bob.aor, to: bob.aor, callId: "o2"), to: a)
        let received = try #require(overlay.take(bob).first)
        #expect(received.method == .options)
        #expect(received.recordRoutes.isEmpty)
        overlay.phone(bob, sends: self.answer(received, 200, "OK", by: bob), to: b)
        #expect(overlay.take(alice).map { $0.statusCode } == [200])
    }

    @Test func unregisteredPhoneAndMaxForwards() {
        var (overlay, alice, bob) = setUp()
        var stranger = Phone("stranger", host: "192.168.1.99")
        overlay.phone(stranger, sends: invite(&stranger, to: bob.aor), to: a)
        #expect(overlay.take(stranger).map { $0.reasonText } == ["Forbidden (register first)"])
        let text = String(decoding: invite(&alice, to: bob.aor), as: UTF8.self).replacingOccurrences(of: "Max-Forwards: 70", with: "Max-Forwards: 0")
        overlay.phone(alice, sends: Array(text.utf8), to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [483])
    }

    /// Timer C (§16.8): an INVITE nobody answers ends with 408, and the callee is cancelled.
    @Test func inviteTimeout() throws {
        var (overlay, alice, bob) = setUp()
        overlay.phone(alice, sends: invite(&alice, to: bob.aor), to: a)
        let received = try #require(overlay.take(bob).first)
        overlay.phone(bob, sends: answer(received, 180, "Ringing", by: bob), to: b)
        #expect(overlay.take(alice).map { $0.statusCode } == [100, 180])
        overlay.now = overlay.now.adding(seconds: SIPFrontLimits.inviteTimeoutSeconds)
        overlay.tick(b)
        overlay.tick(a)
        #expect(overlay.take(bob).map { $0.method } == [.cancel])
        #expect(overlay.take(alice).map { $0.statusCode } == [408])
    }

    /// A retransmitted INVITE is absorbed and answered with the last response.
    @Test func retransmittedInvite() {
        var (overlay, alice, bob) = setUp()
        let bytes = invite(&alice, to: bob.aor)
        overlay.phone(alice, sends: bytes, to: a)
        overlay.phone(alice, sends: bytes, to: a)
        #expect(overlay.take(alice).map { $0.statusCode } == [100, 100])
        #expect(overlay.take(bob).count == 1)
    }
}
