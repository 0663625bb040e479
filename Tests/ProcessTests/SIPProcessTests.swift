import Foundation
import Testing

/// Phones through the overlay with real SIP software nobody here wrote (Debian's sipsak and
/// SIPp) against `p2psip demo` peers (RFC 7904 over RFC 3261): sipsak registers (challenged
/// first, a wrong password refused); SIPp calls bob at another peer 20 times in a 5-peer
/// overlay (INVITE, 100, 180, 200, ACK, BYE, 200 each, the ACK and BYE along the route set
/// through both peers); an unregistered user and an unregistered bob are 404; a peer keeps
/// answering OPTIONS after garbage; a dead callee peer is 480.
@Suite(.serialized, .enabled(if: DemoProcess.hasSIPTools, "sipsak and sipp are not installed (apt-get install sipsak sip-tester)"))
struct SIPProcessTests {
    @Test func registerCallUnregisterGarbageAndAnUnreachablePeer() throws {
        let base = DemoProcess.basePort()
        let demo = try DemoProcess("sip", peers: 5, basePort: base)
        defer { demo.down() }
        // The demo returns once every peer joined; their views settle a moment later. Until
        // then a registration may go to a peer the readers do not ask yet (seen once in CI).
        #expect(TestnetProcess.wait(seconds: 60) { demo.ringIsRight() } != nil, "the ring of 5 did not settle")
        try register(demo)
        try call(demo, alicePort: base + 81, bobPort: base + 82)
        try unknownAndUnregistered(demo, alicePort: base + 81, bobPort: base + 82)
        try garbage(demo)
        try unreachable(demo, alicePort: base + 81, carolPort: base + 83)
    }

    /// #15: peers of a test build that answer Error_Not_Found, signed by themselves, for every
    /// request they should forward (P2PSIP_TEST_NOT_FOUND_USERS, TestMisbehaviour; release and
    /// board builds have no such mode) do not stop calls: check 2 (§6.3.4) drops their answers,
    /// the request goes again by another path, and the liars are banned. 4 of 7 peers lie
    /// (all but alice's, bob's and one more); 10 calls alice -> bob must all succeed.
    @Test func peersThatAnswerNotFoundForWhatTheyForwardDoNotStopACall() throws {
        let base = DemoProcess.basePort()
        let liars = ["dave", "erin", "frank", "grace"]
        let demo = try DemoProcess(
            "liars", peers: 7, basePort: base,
            environment: ["P2PSIP_TEST_NOT_FOUND_USERS": liars.map { "\($0)@testnet.p2psip" }.joined(separator: ",")])
        defer { demo.down() }
        // The liars also answer the Attaches and Updates they should forward: the ring takes
        // longer to settle than an honest one, more so on a loaded machine.
        #expect(TestnetProcess.wait(seconds: 150) { demo.ringIsRight() } != nil, "the ring of 7 did not settle")
        for (user, port) in [("bob", base + 82), ("alice", base + 81)] {
            // A phone whose REGISTER is refused (503) registers again, as phones do.
            var registered = try demo.sipsakRegister(user, expires: 600, localPort: port)
            for _ in 0..<5 where registered.status != 0 {
                Thread.sleep(forTimeInterval: 2)
                registered = try demo.sipsakRegister(user, expires: 600, localPort: port)
            }
            #expect(registered.status == 0, "\(user): \(registered.output.suffix(1500)) \(registered.error.suffix(500))")
        }
        let (callee, calleeStat) = try demo.sippAnswer("bob", localPort: base + 82, calls: 10)
        defer { callee.stop() }
        Thread.sleep(forTimeInterval: 0.5)
        let caller = try demo.sippCall(
            DemoProcess.scenario("caller.xml"), caller: "alice", callee: "bob", localPort: base + 81, calls: 10, rate: 2, seconds: 180)
        #expect(caller.count("SuccessfulCall(C)") == 10 && caller.count("FailedCall(C)") == 0, "\(caller.statistics)")
        _ = calleeStat
        // What the honest peers saw of the liars: answers dropped by check 2, and bans.
        var dropped = 0
        var bans = 0
        for (index, peer) in demo.peers.enumerated() where !liars.contains(where: { peer.user.hasPrefix($0 + "@") }) {
            guard let status = demo.status(index), let counters = status["counters"] as? [String: Any],
                let drops = counters["dropped"] as? [String: Any], let misbehaviour = counters["misbehaviour"] as? [String: Any]
            else { continue }
            dropped += drops["not_responsible"] as? Int ?? 0
            bans += misbehaviour["bans_imposed"] as? Int ?? 0
        }
        print("liars: \(dropped) answers dropped by check 2 at the honest peers, \(bans) bans")
    }

    /// sipsak's usrloc mode at alice's peer: a 401 with a Digest challenge first, then 200;
    /// the registration is in the overlay (any peer fetches it); a wrong password is 403.
    func register(_ demo: DemoProcess) throws {
        let alice = demo.account("alice")
        let registered = try demo.sipsakRegister("alice", expires: 600)
        #expect(registered.status == 0, "\(registered.output.suffix(3000)) \(registered.error.suffix(500))")
        let text = registered.output + registered.error
        let challenge = text.range(of: "SIP/2.0 401 Unauthorized")
        let accepted = text.range(of: "SIP/2.0 200 OK")
        #expect(challenge != nil && accepted != nil && challenge!.lowerBound < accepted!.lowerBound, "challenged first: \(text.suffix(3000))")
        #expect(text.contains("WWW-Authenticate: Digest realm=\"\(demo.domain)\""))
        for reader in [2, 4] {
            let fetched = try demo.control(reader, ["get", "alice@\(demo.domain)", "SIP-REGISTRATION"])
            #expect(fetched.status == 0 && fetched.output.contains("1 value(s)"), "peer \(reader): \(fetched.output) \(fetched.error)")
            #expect(fetched.output.contains("key 0x\(demo.peers[alice.peer].nodeId)"), "the dictionary key is alice's peer: \(fetched.output)")
        }
        let wrong = try demo.sipsakRegister("alice", password: "not-" + alice.password, expires: 600)
        #expect(wrong.status != 0, "a wrong password must not register: \(wrong.output.suffix(2000))")
        #expect((wrong.output + wrong.error).contains("403 Forbidden"), "\(wrong.output.suffix(2000))")
    }

    /// bob (SIPp answering) registered at his peer, alice (SIPp calling) at hers: 20 calls.
    func call(_ demo: DemoProcess, alicePort: Int, bobPort: Int) throws {
        #expect(try demo.sipsakRegister("bob", expires: 600, localPort: bobPort).status == 0)
        #expect(try demo.sipsakRegister("alice", expires: 600, localPort: alicePort).status == 0)
        let (callee, calleeStat) = try demo.sippAnswer("bob", localPort: bobPort, calls: 20)
        defer { callee.stop() }
        Thread.sleep(forTimeInterval: 0.5)
        let started = Date()
        let caller = try demo.sippCall(DemoProcess.scenario("caller.xml"), caller: "alice", callee: "bob", localPort: alicePort, calls: 20)
        let seconds = Date().timeIntervalSince(started)
        #expect(caller.output.status == 0, "SIPp caller: \(caller.output.output.suffix(2000)) \(caller.screen.suffix(3000))")
        #expect(caller.count("SuccessfulCall(C)") == 20 && caller.count("FailedCall(C)") == 0, "\(caller.statistics)")
        // The caller's screen: each message of the scenario 20 times (100 is optional there).
        for message in ["INVITE ---------->", "180 <----------", "200 <----------", "ACK ---------->", "BYE ---------->"] {
            #expect(screenCount(caller.screen, message) == 20, "\(message): \(caller.screen.suffix(3000))")
        }
        // The callee saw every ACK and BYE: they went through alice's peer and bob's peer.
        #expect(TestnetProcess.wait(seconds: 20) { !callee.isRunning } != nil)
        #expect(callee.terminationStatus == 0, "SIPp callee exit \(callee.terminationStatus)")
        let answered = SIPpResult(output: caller.output, statistics: SIPpResult.statistics(calleeStat), screen: "")
        #expect(answered.count("SuccessfulCall(C)") == 20 && answered.count("FailedCall(C)") == 0, "\(answered.statistics)")
        let setup = caller.milliseconds("ResponseTime1(C)") ?? -1
        print("20 calls alice -> bob through the overlay in \(String(format: "%.1f", seconds)) s; INVITE to 200 OK on average \(setup) ms")
        let events = try demo.control(1, ["sip-events"])
        #expect(events.output.contains("SIP from peer \(demo.peers[0].nodeId): INVITE sip:bob@\(demo.domain)"), "\(events.output.suffix(2000))")
    }

    /// SIPp's final screen line for `message`: its first count (after markers like E-RTD1).
    func screenCount(_ screen: String, _ message: String) -> Int? {
        guard let line = screen.split(separator: "\n").last(where: { $0.contains(message) }) else { return nil }
        let after = line[line.range(of: message)!.upperBound...]
        return after.split(separator: " ").lazy.compactMap { Int($0) }.first
    }

    /// A user nobody registered: 404; bob after his phone unregisters (Expires: 0): 404.
    func unknownAndUnregistered(_ demo: DemoProcess, alicePort: Int, bobPort: Int) throws {
        let notFound = try demo.refusedScenario(status: 404)
        let nobody = try demo.sippCall(notFound, caller: "alice", callee: "nobody", localPort: alicePort, calls: 1)
        #expect(nobody.output.status == 0 && nobody.count("SuccessfulCall(C)") == 1, "\(nobody.screen.suffix(2000))")
        let carol = try demo.sippCall(notFound, caller: "alice", callee: "carol", localPort: alicePort, calls: 1)
        #expect(carol.output.status == 0, "carol has an account but no phone registered: \(carol.screen.suffix(2000))")
        // bob's phone (SIPp has finished; sipsak takes its address) unregisters its contact.
        let unregistered = try demo.sipsakRegister("bob", expires: 0, localPort: bobPort)
        #expect(unregistered.status == 0, "\(unregistered.output.suffix(2000))")
        #expect(TestnetProcess.wait(seconds: 10) {
            ((try? demo.control(1, ["sip-events"]))?.output ?? "").contains("removal of the registration of bob@\(demo.domain): stored at")
        } != nil)
        let bob = try demo.sippCall(notFound, caller: "alice", callee: "bob", localPort: alicePort, calls: 3, rate: 3)
        #expect(bob.output.status == 0 && bob.count("SuccessfulCall(C)") == 3, "calls to bob after Expires: 0: \(bob.screen.suffix(2000))")
    }

    /// Garbage on the SIP port (random bytes, truncated and oversized messages): the peer
    /// keeps answering OPTIONS (sipsak's default mode) and keeps its registrations.
    func garbage(_ demo: DemoProcess) throws {
        var random = SystemRandomNumberGenerator()
        var datagrams: [[UInt8]] = []
        for length in [0, 1, 7, 100, 1_000, 20_000, 60_000] {
            datagrams.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        let invite = Array("INVITE sip:bob@\(demo.domain) SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\nContent-Length: 99999\r\n\r\n".utf8)
        for cut in stride(from: 0, to: invite.count, by: 9) { datagrams.append(Array(invite.prefix(cut))) }
        datagrams.append(Array("OPTIONS sip:127.0.0.1 SIP/2.0\r\n".utf8) + [UInt8](repeating: 0x41, count: 3000) + Array("\r\n\r\n".utf8))
        for index in [0, 1] { demo.sendDatagrams(datagrams, toPeer: index) }
        for index in [0, 1] {
            let options = try demo.sipsakOptions(index)
            #expect(options.status == 0 && options.output.contains("200 OK"), "peer \(index): \(options.output.suffix(1500))")
            let status = try demo.control(index, ["status"])
            #expect(status.status == 0 && status.output.contains("state: joined"))
        }
    }

    /// carol registers, her peer dies (SIGKILL); calls to carol get 480 (the AppAttach to a
    /// Node-ID nobody answers for fails), not a hang.
    func unreachable(_ demo: DemoProcess, alicePort: Int, carolPort: Int) throws {
        #expect(try demo.sipsakRegister("carol", expires: 600, localPort: carolPort).status == 0)
        kill(demo.peers[demo.account("carol").peer].pid, SIGKILL)
        Thread.sleep(forTimeInterval: 1)
        let started = Date()
        let result = try demo.sippCall(try demo.refusedScenario(status: 480), caller: "alice", callee: "carol", localPort: alicePort, calls: 1, seconds: 90)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.output.status == 0 && result.count("SuccessfulCall(C)") == 1, "480 for a dead peer: \(result.screen.suffix(2000))")
        print("a call to carol, whose peer was killed, got 480 after \(String(format: "%.1f", seconds)) s")
    }
}
