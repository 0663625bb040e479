import Foundation
import Testing
@testable import Link
import Reload
import Wire
import TestSupport

/// One overlay link's own duties: fragmentation and reassembly (§6.7), refusals, the key log,
/// and never trapping on what the network sends.
@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct OverlayLinkTests {
    /// A 1200-byte frame payload (datagram MTU 1280) and max-message-size 32 KiB.
    static let smallFrames = OverlayLinkConfiguration(
        codec: CodecConfiguration(maxMessageSize: 32_768), maximumFramePayloadBytes: 1_200)

    static func established(
        seed: UInt64, conditions: SimulatedNetwork.Conditions = .perfect, link: OverlayLinkConfiguration = smallFrames,
        mtu: UInt16 = 1_280, keyLog: Bool = false
    ) throws -> (SimulatedNetwork, SimulatedPeer, SimulatedPeer) {
        let pki = try TestPKI.load()
        let network = SimulatedNetwork(seed: seed, conditions: conditions)
        let alice = try network.add("alice", try TestManagers.configuration(pki.alice, link: link, mtu: mtu, keyLog: keyLog), index: 1)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob, link: link, mtu: mtu, keyLog: keyLog), index: 2)
        try network.connect(alice, to: bob)
        let up = network.run(forMilliseconds: 60_000) {
            LinkManagerTests.isEstablished(alice, to: bob) && LinkManagerTests.isEstablished(bob, to: alice)
        }
        try #require(up, "\(network.summary)")
        return (network, alice, bob)
    }

    @Test func a20KilobyteMessageCrossesA1200BytePayloadLinkInFragments() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("OverlayLinkTests fragmentation seed 0x\(String(seed, radix: 16))")
        let (network, alice, bob) = try Self.established(seed: seed, conditions: ReliabilityNetworkTests.lossy)
        var largest = 0
        network.observer = { largest = max(largest, $0.bytes.count) }
        let message = TestMessages.make(20, bodyBytes: 20_000 - 38)
        #expect(message.count == 20_000)
        let second = TestMessages.make(21, bodyBytes: 300)
        try network.send(message, from: alice, to: bob)
        try network.send(second, from: alice, to: bob)
        #expect(network.run(forMilliseconds: 120_000) { bob.delivered.count == 2 }, "\(network.summary)")
        #expect(bob.messages(from: alice.address) == [message, second])
        let sender = try #require(alice.manager.link(to: bob.address))
        let receiver = try #require(bob.manager.link(to: alice.address))
        #expect(sender.framePayloadLimit == 1_200)
        // 20 000 bytes less the 38-byte header in fragments of at most 1200 - 8 - 32 bytes.
        let fragments = (20_000 - 38 + (1_160 - 38) - 1) / (1_160 - 38)
        #expect(sender.counters.framesQueued == UInt64(fragments) + 1 && fragments == 18)
        #expect(receiver.counters.messagesReassembled == 1 && receiver.counters.messagesDelivered == 2)
        #expect(receiver.reliability.counters.messagesDelivered == UInt64(fragments) + 1)
        #expect(largest <= 1_280)
    }

    @Test func fragmentsPassUnassembledWhenTheLinkDoesNotReassemble() throws {
        var forwarding = Self.smallFrames
        forwarding.reassemblesFragments = false
        let (network, alice, bob) = try Self.established(seed: 21, link: forwarding)
        let message = TestMessages.make(5, bodyBytes: 3_000)
        try network.send(message, from: alice, to: bob)
        #expect(network.run(forMilliseconds: 10_000) { bob.delivered.count == 3 })
        var reassembly = Reassembly(configuration: Self.smallFrames.codec)
        var whole: [[UInt8]] = []
        for (_, fragment, _) in bob.delivered {
            #expect(fragment.count <= 1_160)
            if case .complete(let bytes) = reassembly.add(fragment, now: .zero) { whole.append(bytes) }
        }
        #expect(whole == [message])
    }

    @Test func sendsAreRefusedWithAReason() throws {
        let (network, alice, bob) = try Self.established(seed: 22)
        #expect(throws: LinkRefusal.messageTooLarge(length: 40_000, limit: 32_768)) {
            _ = try alice.manager.send(TestMessages.make(1, bodyBytes: 40_000 - 38), to: bob.address, now: network.now)
        }
        // Larger than a frame and without a forwarding header to fragment by.
        #expect(throws: LinkRefusal.self) { _ = try alice.manager.send([UInt8](repeating: 7, count: 5_000), to: bob.address, now: network.now) }
        do {
            _ = try alice.manager.send([UInt8](repeating: 7, count: 5_000), to: bob.address, now: network.now)
        } catch {
            guard case .malformedMessage = error else { Issue.record("\(error)"); return }
        }
        // More fragments than the send queue holds: never sendable on this link.
        var tightQueue = Self.smallFrames
        tightQueue.reliability.sendQueueCapacity = 8
        let (tight, carol, dave) = try Self.established(seed: 23, link: tightQueue)
        #expect(throws: LinkRefusal.messageTooLarge(length: 20_000, limit: 1_192)) {
            _ = try carol.manager.send(TestMessages.make(1, bodyBytes: 20_000 - 38), to: dave.address, now: tight.now)
        }
        // A closed link refuses; the manager then has no link.
        let link = try #require(alice.manager.link(to: bob.address))
        network.perform(alice.manager.close(bob.address, now: network.now), by: alice)
        #expect(throws: LinkRefusal.linkDown) { _ = try link.send(TestMessages.make(2), now: network.now) }
        #expect(throws: LinkRefusal.noLink) { _ = try alice.manager.send(TestMessages.make(2), to: bob.address, now: network.now) }
        #expect(link.nextDeadline == nil && link.tick(now: network.now).isEmpty && link.close(now: network.now).isEmpty)
    }

    @Test func keyLogLinesComeOutOfBothEnds() throws {
        let (_, alice, bob) = try Self.established(seed: 24, keyLog: true)
        #expect(alice.keyLogLines.count == 1 && alice.keyLogLines == bob.keyLogLines)
        #expect(alice.keyLogLines.first?.hasPrefix("CLIENT_RANDOM ") == true)
    }

    @Test func randomDatagramsNeverTrapAndLeaveTheLinkUp() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("OverlayLinkTests fuzz seed 0x\(String(seed, radix: 16))")
        let (network, alice, bob) = try Self.established(seed: seed)
        var captured: [[UInt8]] = []
        network.observer = { if captured.count < 64 { captured.append($0.bytes) } }
        for number in UInt32(0)..<10 { try network.send(TestMessages.make(number, bodyBytes: 2_000), from: alice, to: bob) }
        #expect(network.run(forMilliseconds: 10_000) { bob.delivered.count == 10 })
        var random = SeededRandom(seed: seed)
        let manager = bob.manager
        for iteration in 0..<4_000 {
            let datagram = Self.hostile(&random, captured: captured)
            let from = random.next() % 3 == 0 ? alice.address : SimulatedNetwork.address(100 + Int(random.next() % 50))
            let events = manager.receive(datagram, from: from, now: network.now.adding(milliseconds: UInt64(iteration)))
            for case .failed(let address, let failure, _) in events {
                Issue.record("iteration \(iteration): link to \(address.bytes) failed: \(failure.description) after \(datagram.prefix(64))")
            }
            #expect(manager.linkCount <= manager.configuration.maximumLinks)
            #expect(manager.handshakesInProgress <= manager.configuration.maximumHandshakes)
        }
        network.now = network.now.adding(milliseconds: 4_000)
        network.perform(manager.tick(now: network.now), by: bob)
        // Hostile frames inside the authenticated session: the reliability and reassembly
        // layers drop and count them.
        let link = try #require(manager.link(to: alice.address))
        for _ in 0..<2_000 {
            var events: [LinkEvent] = []
            link.perform(link.reliability.receive(Self.hostile(&random, captured: captured), now: network.now), into: &events, now: network.now)
            link.deliver(Self.hostileFragment(&random), into: &events, now: network.now)
        }
        #expect(link.state == .established)
        try network.send(TestMessages.make(99), from: alice, to: bob)
        #expect(network.run(forMilliseconds: 10_000) { bob.messages(from: alice.address).last == TestMessages.make(99) })
    }

    /// Random bytes, DTLS-shaped headers, or captured datagrams mutated, cut or extended.
    static func hostile(_ random: inout SeededRandom, captured: [[UInt8]]) -> [UInt8] {
        switch random.next() % 5 {
        case 4:
            // A record of type ClientHello (epoch 0, handshake, client_hello) with a random body.
            let body = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let length = body.count + 1
            return [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF), 1] + body
        case 0:
            return (0..<Int(random.next() % 1_500)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case 1:
            var bytes: [UInt8] = [UInt8(20 + random.next() % 6), 0xFE, 0xFD, 0, UInt8(random.next() % 2)]
            bytes += (0..<Int(8 + random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return bytes
        default:
            guard var bytes = captured.isEmpty ? nil : captured[Int(random.next() % UInt64(captured.count))] else { return [] }
            for _ in 0..<(1 + random.next() % 4) where !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 3 == 0 { bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1)))) }
            if random.next() % 5 == 0 { bytes += [UInt8(truncatingIfNeeded: random.next())] }
            return bytes
        }
    }

    /// A fragment of a test message with its fragment field, length or body changed.
    static func hostileFragment(_ random: inout SeededRandom) -> [UInt8] {
        var bytes = TestMessages.make(UInt32(random.next() % 4), bodyBytes: Int(random.next() % 600))
        let fragment = UInt32(truncatingIfNeeded: random.next()) | 0x8000_0000
        for (index, shift) in [(12, 24), (13, 16), (14, 8), (15, 0)] { bytes[index] = UInt8(truncatingIfNeeded: fragment >> UInt32(shift)) }
        if random.next() % 4 == 0 { bytes[16 + Int(random.next() % 4)] = UInt8(truncatingIfNeeded: random.next()) }
        if random.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1)))) }
        return bytes
    }
}
