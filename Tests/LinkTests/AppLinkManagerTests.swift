import Foundation
import Testing
@testable import Link
import Wire
import TestSupport

/// Application connections (RFC 6940 §6.5.2 AppAttach; RFC 7904 §5.1 SIP over DTLS) between
/// AppLinkManagers over a loss-free in-memory network with a simulated clock: one datagram per
/// record both ways, the queue during the handshake, simultaneous opens, a restarted peer,
/// the reply and idle timers, the bounds, and garbage.
@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct AppLinkManagerTests {
    final class Side {
        let name: String
        let address: PeerAddress
        var manager: AppLinkManager
        var established: [(address: PeerAddress, leaf: [UInt8], inbound: Bool)] = []
        var delivered: [(address: PeerAddress, bytes: [UInt8])] = []
        var failed: [(address: PeerAddress, failure: LinkFailure)] = []
        var closed: [PeerAddress] = []
        /// Sent the moment `.established` is performed, as the peer sends what waited.
        var sendOnEstablished: [UInt8]? = nil

        init(_ name: String, index: UInt8, manager: AppLinkManager) {
            self.name = name
            address = PeerAddress(bytes: [4, 10, 0, 0, index, 0x13, 0xC6])!
            self.manager = manager
        }
    }

    final class Network {
        var now = Instant(nanoseconds: 1_000_000_000)
        var sides: [Side] = []
        var inFlight: [(from: PeerAddress, to: PeerAddress, bytes: [UInt8])] = []

        func side(at address: PeerAddress) -> Side? { sides.first { $0.address == address } }

        func perform(_ events: [AppLinkEvent], by side: Side) {
            for event in events {
                switch event {
                case .transmit(let bytes, let to): inFlight.append((side.address, to, bytes))
                case .established(let address, let chain, let inbound):
                    side.established.append((address, chain.leaf, inbound))
                    if let bytes = side.sendOnEstablished {
                        side.sendOnEstablished = nil
                        perform((try? side.manager.send(bytes, to: address, expectingReply: false, now: now)) ?? [], by: side)
                    }
                case .delivered(let bytes, let from): side.delivered.append((from, bytes))
                case .failed(let address, let failure, _): side.failed.append((address, failure))
                case .closed(let address, _): side.closed.append(address)
                case .keyLog: break
                }
            }
        }

        /// Delivers every datagram (1 ms per step) and runs due timers, until `condition` or
        /// `milliseconds` pass; bounded in steps.
        @discardableResult
        func run(milliseconds: UInt64, until condition: () -> Bool = { false }) -> Bool {
            let end = now.adding(milliseconds: milliseconds)
            for _ in 0..<1_000_000 where now < end {
                if condition() { return true }
                let batch = inFlight
                inFlight = []
                for datagram in batch {
                    guard let target = side(at: datagram.to) else { continue }
                    perform(target.manager.receive(datagram.bytes, from: datagram.from, now: now), by: target)
                }
                for side in sides {
                    if let deadline = side.manager.nextDeadline, deadline <= now { perform(side.manager.tick(now: now), by: side) }
                }
                if inFlight.isEmpty {
                    let next = sides.compactMap { $0.manager.nextDeadline }.min() ?? end
                    now = max(now.adding(milliseconds: 1), min(next, end))
                } else {
                    now = now.adding(milliseconds: 1)
                }
            }
            return condition()
        }
    }

    static func manager(_ identity: TestPKI.Identity, maximumLinks: Int = 8, idle: UInt64 = 120_000, reply: UInt64 = 8_000) throws -> AppLinkManager {
        let configuration = AppLinkConfiguration(
            client: try TestConfigurations.make(identity, role: .client, mtu: LinkLimits.appLinkDatagramMTU),
            server: try TestConfigurations.make(identity, role: .server, mtu: LinkLimits.appLinkDatagramMTU),
            maximumLinks: maximumLinks, maximumHandshakes: min(4, maximumLinks), idleTimeoutMilliseconds: idle,
            replyTimeoutMilliseconds: reply)
        return try AppLinkManager(configuration: configuration, now: Instant(nanoseconds: 1_000_000_000))
    }

    static func pair(idle: UInt64 = 120_000, reply: UInt64 = 8_000) throws -> (Network, Side, Side) {
        let pki = try TestPKI.load()
        let network = Network()
        let alice = Side("alice", index: 1, manager: try manager(pki.alice, idle: idle, reply: reply))
        let bob = Side("bob", index: 2, manager: try manager(pki.bob, idle: idle, reply: reply))
        network.sides = [alice, bob]
        return (network, alice, bob)
    }

    static func sip(_ number: Int, bytes: Int = 600) -> [UInt8] {
        let head = Array("OPTIONS sip:bob@overlay SIP/2.0\r\nCSeq: \(number) OPTIONS\r\n".utf8)
        return head + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, bytes - head.count))
    }

    func connect(_ network: Network, _ from: Side, _ to: Side) throws {
        network.perform(try from.manager.connect(to: to.address, now: network.now), by: from)
    }

    @Test func datagramsBothWaysOneRecordEach() throws {
        let pki = try TestPKI.load()
        let (network, alice, bob) = try Self.pair()
        // bob answered alice's AppAttach: bob is the DTLS client (RFC 6940 §6.5.1.13). alice,
        // the server, sends as soon as she hears the connection is up: it must reach bob
        // after her last handshake flight, or bob would drop it.
        alice.sendOnEstablished = Self.sip(99)
        try connect(network, bob, alice)
        // Sent during the handshake: queued, sent when it completes.
        network.perform(try bob.manager.send(Self.sip(1), to: alice.address, expectingReply: true, now: network.now), by: bob)
        #expect(network.run(milliseconds: 5_000) { alice.delivered.count == 1 && bob.delivered.count == 1 })
        #expect(bob.delivered.first?.bytes == Self.sip(99))
        bob.delivered = []
        let aliceDER = try pki.alice.der
        let bobDER = try pki.bob.der
        #expect(alice.established.count == 1 && alice.established[0].inbound && alice.established[0].leaf == bobDER)
        #expect(bob.established.count == 1 && !bob.established[0].inbound && bob.established[0].leaf == aliceDER)
        // The largest SIP message (16 KiB) fits one record.
        for (index, size) in [100, 1_400, 16_384].enumerated() {
            network.perform(try alice.manager.send(Self.sip(10 + index, bytes: size), to: bob.address, expectingReply: false, now: network.now), by: alice)
        }
        #expect(network.run(milliseconds: 1_000) { bob.delivered.count == 3 })
        #expect(bob.delivered.map { $0.bytes.count } == [100, 1_400, 16_384])
        #expect(alice.delivered[0].bytes == Self.sip(1))
        #expect(throws: LinkRefusal.messageTooLarge(length: 16_385, limit: LinkLimits.maximumPlaintextRecordBytes)) {
            try alice.manager.send(Self.sip(20, bytes: 16_385), to: bob.address, expectingReply: false, now: network.now)
        }
        #expect(throws: LinkRefusal.noLink) {
            try alice.manager.send(Self.sip(21), to: PeerAddress(bytes: [4, 10, 0, 0, 9, 0, 1])!, expectingReply: false, now: network.now)
        }
        // Close from alice: bob hears the close_notify.
        network.perform(alice.manager.close(bob.address, now: network.now), by: alice)
        #expect(network.run(milliseconds: 1_000) { bob.closed.count == 1 })
        #expect(alice.manager.linkCount == 0 && bob.manager.linkCount == 0)
        #expect(alice.failed.isEmpty && bob.failed.isEmpty)
    }

    @Test func simultaneousOpensEndWithOneConnection() throws {
        for round in 0..<4 {
            let (network, alice, bob) = try Self.pair()
            try connect(network, alice, bob)
            try connect(network, bob, alice)
            network.perform(try alice.manager.send(Self.sip(1), to: bob.address, expectingReply: true, now: network.now), by: alice)
            network.perform(try bob.manager.send(Self.sip(2), to: alice.address, expectingReply: true, now: network.now), by: bob)
            #expect(network.run(milliseconds: 10_000) { alice.delivered.count == 1 && bob.delivered.count == 1 }, "round \(round)")
            #expect(alice.manager.linkCount == 1 && bob.manager.linkCount == 1)
            #expect(alice.manager.isEstablished(bob.address) && bob.manager.isEstablished(alice.address))
            let yielded = alice.manager.counters.simultaneousOpensYielded + bob.manager.counters.simultaneousOpensYielded
            #expect(yielded == 1, "round \(round): one side gives way")
            #expect(alice.failed.isEmpty && bob.failed.isEmpty)
        }
    }

    @Test func aRestartedPeerIsNoticedAndReplaced() throws {
        let pki = try TestPKI.load()
        let (network, alice, bob) = try Self.pair(reply: 4_000)
        try connect(network, bob, alice)
        #expect(network.run(milliseconds: 5_000) { alice.manager.isEstablished(bob.address) && bob.manager.isEstablished(alice.address) })
        // alice restarts: a new process, no sessions. bob's request goes nowhere; after the
        // reply limit bob's connection fails.
        alice.manager = try Self.manager(pki.alice, reply: 4_000)
        let sent = network.now
        network.perform(try bob.manager.send(Self.sip(1), to: alice.address, expectingReply: true, now: network.now), by: bob)
        #expect(network.run(milliseconds: 10_000) { !bob.failed.isEmpty })
        #expect(bob.failed.map { $0.failure } == [.noReply])
        #expect(network.now.milliseconds(since: sent) >= 4_000 && network.now.milliseconds(since: sent) <= 4_100)
        #expect(bob.manager.counters.linksUnanswered == 1 && bob.manager.linkCount == 0)
        // The next use sets up a new connection.
        try connect(network, bob, alice)
        network.perform(try bob.manager.send(Self.sip(2), to: alice.address, expectingReply: true, now: network.now), by: bob)
        #expect(network.run(milliseconds: 5_000) { alice.delivered.count == 1 })
        // Now bob restarts and opens again from the same address: alice's listener accepts
        // the new handshake (after a cookie) and it replaces the old connection.
        bob.manager = try Self.manager(pki.bob, reply: 4_000)
        try connect(network, bob, alice)
        network.perform(try bob.manager.send(Self.sip(3), to: alice.address, expectingReply: false, now: network.now), by: bob)
        #expect(network.run(milliseconds: 5_000) { alice.delivered.count == 2 })
        #expect(alice.manager.counters.linksReplaced == 1 && alice.manager.linkCount == 1)
    }

    @Test func replyAndIdleTimers() throws {
        let (network, alice, bob) = try Self.pair(idle: 30_000, reply: 3_000)
        try connect(network, bob, alice)
        #expect(network.run(milliseconds: 5_000) { alice.manager.isEstablished(bob.address) && bob.manager.isEstablished(alice.address) })
        // A request answered in time keeps the connection.
        network.perform(try bob.manager.send(Self.sip(1), to: alice.address, expectingReply: true, now: network.now), by: bob)
        #expect(network.run(milliseconds: 1_000) { alice.delivered.count == 1 })
        network.perform(try alice.manager.send(Self.sip(2), to: bob.address, expectingReply: false, now: network.now), by: alice)
        network.run(milliseconds: 5_000)
        #expect(bob.failed.isEmpty && alice.failed.isEmpty && bob.manager.linkCount == 1)
        // Nothing for the idle time: closed on both sides (close_notify), not failed.
        #expect(network.run(milliseconds: 40_000) { alice.manager.linkCount == 0 && bob.manager.linkCount == 0 })
        #expect(alice.manager.counters.linksIdle + bob.manager.counters.linksIdle >= 1)
        #expect(alice.failed.isEmpty && bob.failed.isEmpty && alice.closed.count == 1 && bob.closed.count == 1)
    }

    @Test func boundsAndGarbage() throws {
        let pki = try TestPKI.load()
        let network = Network()
        let alice = Side("alice", index: 1, manager: try Self.manager(pki.alice, maximumLinks: 1))
        let bob = Side("bob", index: 2, manager: try Self.manager(pki.bob))
        let carol = Side("carol", index: 3, manager: try Self.manager(pki.alice))
        network.sides = [alice, bob, carol]
        try connect(network, bob, alice)
        #expect(network.run(milliseconds: 5_000) { alice.manager.isEstablished(bob.address) })
        try connect(network, carol, alice)
        network.run(milliseconds: 3_000)
        #expect(alice.manager.linkCount == 1 && alice.manager.counters.droppedTableFull > 0)
        #expect(throws: LinkRefusal.tooManyLinks) { try alice.manager.connect(to: carol.address, now: network.now) }
        #expect(throws: LinkRefusal.alreadyLinked) { try bob.manager.connect(to: alice.address, now: network.now) }
        // Garbage from bob's address and from strangers: dropped, the connection stays.
        var random = SystemRandomNumberGenerator()
        for length in [0, 1, 13, 14, 100, 1_500, 17_409] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            network.perform(alice.manager.receive(bytes, from: bob.address, now: network.now), by: alice)
            network.perform(alice.manager.receive(bytes, from: PeerAddress(bytes: [4, 10, 0, 0, 7, 0, 1])!, now: network.now), by: alice)
        }
        // A forged ClientHello record header from bob's address: not parsed as one, dropped.
        network.perform(alice.manager.receive([22, 0xFE, 0xFD] + [UInt8](repeating: 0, count: 30), from: bob.address, now: network.now), by: alice)
        network.perform(try bob.manager.send(Self.sip(1), to: alice.address, expectingReply: false, now: network.now), by: bob)
        #expect(network.run(milliseconds: 1_000) { alice.delivered.count == 1 })
        #expect(alice.manager.isEstablished(bob.address) && alice.failed.isEmpty)
    }
}
