import Foundation
import Testing
@testable import Link
import Reload
import Wire
import TestSupport

/// Two or three LinkManagers over the simulated network: links both ways, the bounds
/// (max-links, max-handshakes, the handshake time limit), close and reconnect, simultaneous
/// opens and restarted peers.
@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct LinkManagerTests {
    static func pair(
        seed: UInt64 = 1, conditions: SimulatedNetwork.Conditions = .perfect, link: OverlayLinkConfiguration = OverlayLinkConfiguration(),
        maximumLinks: Int = 8, maximumHandshakes: Int = 4
    ) throws -> (SimulatedNetwork, SimulatedPeer, SimulatedPeer) {
        let pki = try TestPKI.load()
        let network = SimulatedNetwork(seed: seed, conditions: conditions)
        let alice = try network.add("alice", try TestManagers.configuration(pki.alice, link: link, maximumLinks: maximumLinks,
                                                                            maximumHandshakes: maximumHandshakes), index: 1)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob, link: link, maximumLinks: maximumLinks,
                                                                        maximumHandshakes: maximumHandshakes), index: 2)
        return (network, alice, bob)
    }

    static func isEstablished(_ peer: SimulatedPeer, to other: SimulatedPeer) -> Bool {
        peer.manager.link(to: other.address)?.state == .established
    }

    @Test func linksComeUpFromEitherSideCarryMessagesAndCloseAndReconnect() throws {
        let pki = try TestPKI.load()
        let (network, alice, bob) = try Self.pair()
        try network.connect(alice, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { Self.isEstablished(alice, to: bob) && Self.isEstablished(bob, to: alice) })
        #expect(alice.established.count == 1 && alice.established[0].address == bob.address && !alice.established[0].inbound)
        #expect(bob.established.count == 1 && bob.established[0].address == alice.address && bob.established[0].inbound)
        let bobDER = try pki.bob.der
        let aliceDER = try pki.alice.der
        #expect(alice.established[0].chain.leaf == bobDER && bob.established[0].chain.leaf == aliceDER)
        #expect(alice.established[0].chain.verifiedByTrustAnchors)

        try network.send(TestMessages.make(1), from: alice, to: bob)
        try network.send(TestMessages.make(2), from: bob, to: alice)
        #expect(network.run(forMilliseconds: 1_000) { bob.delivered.count == 1 && alice.delivered.count == 1 })
        #expect(bob.messages(from: alice.address) == [TestMessages.make(1)])
        #expect(alice.messages(from: bob.address) == [TestMessages.make(2)])

        // Close from alice: both sides drop the link and free the slot.
        network.perform(alice.manager.close(bob.address, now: network.now), by: alice)
        #expect(network.run(forMilliseconds: 1_000) { bob.closed.count == 1 })
        #expect(alice.closed.map { $0.address } == [bob.address] && bob.closed.map { $0.address } == [alice.address])
        #expect(alice.manager.linkCount == 0 && bob.manager.linkCount == 0)
        #expect(throws: LinkRefusal.noLink) { try alice.manager.send(TestMessages.make(3), to: bob.address, now: network.now) }

        // Reconnect, from the other side this time.
        try network.connect(bob, to: alice)
        try network.send(TestMessages.make(4), from: bob, to: alice)  // queued during the handshake
        #expect(network.run(forMilliseconds: 5_000) { alice.delivered.count == 2 })
        #expect(alice.established.count == 2 && alice.established[1].inbound && !bob.established[1].inbound)
        #expect(alice.messages(from: bob.address) == [TestMessages.make(2), TestMessages.make(4)])
        #expect(alice.manager.counters.linksAccepted == 1 && alice.manager.counters.linksConnected == 1)
        #expect(alice.manager.counters.linksClosed == 1 && alice.manager.counters.linksEstablished == 2)
    }

    @Test func aThirdPeerBeyondMaxLinksIsRefusedUntilASlotIsFree() throws {
        let pki = try TestPKI.load()
        let short = HandshakeTimeouts(initialRetransmitMilliseconds: 1_000, maximumRetransmitMilliseconds: 60_000, totalMilliseconds: 10_000)
        let network = SimulatedNetwork(seed: 2)
        let alice = try network.add("alice", try TestManagers.configuration(pki.alice), index: 1)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob, maximumLinks: 1, maximumHandshakes: 1), index: 2)
        let carol = try network.add("carol", try TestManagers.configuration(pki.alice, timeouts: short), index: 3)
        try network.connect(alice, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { Self.isEstablished(bob, to: alice) })

        // bob is full: carol's ClientHellos are dropped before the listener sees them.
        let started = network.now
        try network.connect(carol, to: bob)
        #expect(network.run(forMilliseconds: 20_000) { !carol.failed.isEmpty })
        #expect(carol.failed.map { $0.failure } == [.session(.handshakeTimeout)])
        #expect(carol.failed[0].at == started.adding(milliseconds: 10_000))
        #expect(carol.manager.linkCount == 0)
        #expect(bob.manager.counters.droppedLinkTableFull == 4)  // at 0, 1, 3 and 7 s
        #expect(bob.manager.listenerCounters.helloVerifySent == 1)  // alice's only
        #expect(throws: LinkRefusal.tooManyLinks) { try bob.manager.connect(to: carol.address, now: network.now) }
        #expect(bob.manager.counters.connectsRefused == 1)

        // alice leaves; carol gets in.
        network.perform(alice.manager.close(bob.address, now: network.now), by: alice)
        #expect(network.run(forMilliseconds: 1_000) { bob.manager.linkCount == 0 })
        try network.connect(carol, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { Self.isEstablished(bob, to: carol) })
    }

    @Test func handshakesInProgressStayWithinMaxHandshakes() throws {
        let pki = try TestPKI.load()
        let network = SimulatedNetwork(seed: 3)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob, maximumLinks: 8, maximumHandshakes: 2), index: 2)
        var clients: [SimulatedPeer] = []
        for index in 0..<5 { clients.append(try network.add("client\(index)", try TestManagers.configuration(pki.alice), index: 10 + index)) }
        for client in clients { try network.connect(client, to: bob) }
        var most = 0
        network.observer = { _ in most = max(most, bob.manager.handshakesInProgress) }
        #expect(network.run(forMilliseconds: 30_000) { clients.allSatisfy { Self.isEstablished($0, to: bob) } })
        #expect(most <= 2 && bob.manager.handshakesInProgress == 0)
        #expect(bob.manager.listenerCounters.droppedOverLimit >= 1)  // later ones waited for a slot
        #expect(bob.manager.linkCount == 5)

        // Outbound handshakes count too: a manager allowed one refuses a second connect.
        let lonely = try network.add("lonely", try TestManagers.configuration(pki.alice, maximumHandshakes: 1), index: 30)
        try network.connect(lonely, to: bob)
        #expect(throws: LinkRefusal.tooManyHandshakes) { try lonely.manager.connect(to: SimulatedNetwork.address(99), now: network.now) }
        #expect(throws: LinkRefusal.alreadyLinked) { try lonely.manager.connect(to: bob.address, now: network.now) }
    }

    @Test func aHandshakeThatNeverCompletesEndsAtTheHandshakeLimit() throws {
        let pki = try TestPKI.load()
        let limit = HandshakeTimeouts(initialRetransmitMilliseconds: 1_000, maximumRetransmitMilliseconds: 60_000, totalMilliseconds: 8_000)
        let network = SimulatedNetwork(seed: 4)
        let alice = try network.add("alice", try TestManagers.configuration(pki.alice, timeouts: limit), index: 1)
        let started = network.now
        network.perform(try alice.manager.connect(to: SimulatedNetwork.address(77), now: network.now), by: alice)
        #expect(throws: LinkRefusal.queueFull) {
            for number in 0..<UInt32(LinkLimits.defaultSendQueueCapacity + 1) {
                _ = try alice.manager.send(TestMessages.make(number), to: SimulatedNetwork.address(77), now: network.now)
            }
        }
        #expect(network.run(forMilliseconds: 60_000) { !alice.failed.isEmpty })
        #expect(alice.failed.map { $0.failure } == [.session(.handshakeTimeout)])
        #expect(alice.failed[0].at == started.adding(milliseconds: 8_000))
        // ClientHello at 0, then DTLS retransmissions at 1, 3 and 7 s.
        #expect(alice.transmitted == 4)
        #expect(alice.manager.linkCount == 0 && alice.manager.handshakesInProgress == 0)
        #expect(alice.manager.nextDeadline == nil)
    }

    @Test func simultaneousOpenGivesOneLinkAndKeepsTheQueuedMessages() throws {
        for seed in UInt64(1)...6 {
            let (network, alice, bob) = try Self.pair(seed: seed, conditions: .init(minimumDelayMilliseconds: 1, maximumDelayMilliseconds: 5))
            try network.connect(alice, to: bob)
            try network.connect(bob, to: alice)
            try network.send(TestMessages.make(1), from: alice, to: bob)
            try network.send(TestMessages.make(2), from: bob, to: alice)
            #expect(network.run(forMilliseconds: 10_000) { alice.delivered.count == 1 && bob.delivered.count == 1 }, "seed \(seed)")
            #expect(alice.established.count == 1 && bob.established.count == 1, "seed \(seed)")
            #expect(alice.established[0].inbound != bob.established[0].inbound, "seed \(seed)")
            #expect(bob.messages(from: alice.address) == [TestMessages.make(1)] && alice.messages(from: bob.address) == [TestMessages.make(2)])
            #expect(alice.manager.counters.simultaneousOpensYielded + bob.manager.counters.simultaneousOpensYielded == 1)
            #expect(alice.failed.isEmpty && bob.failed.isEmpty)
        }
    }

    @Test func aRestartedPeerReplacesItsLinkInEitherDirection() throws {
        let pki = try TestPKI.load()
        for aliceConnects in [true, false] {
            let (network, alice, bob) = try Self.pair()
            if aliceConnects { try network.connect(alice, to: bob) } else { try network.connect(bob, to: alice) }
            #expect(network.run(forMilliseconds: 5_000) { Self.isEstablished(alice, to: bob) && Self.isEstablished(bob, to: alice) })
            // bob restarts: a new manager at the same address, no memory of the link.
            let reborn = try network.add("bob", try TestManagers.configuration(pki.bob), index: 2)
            try network.connect(reborn, to: alice)
            #expect(network.run(forMilliseconds: 5_000) { Self.isEstablished(reborn, to: alice) && alice.established.count == 2 })
            #expect(alice.failed.map { $0.failure } == [.session(.peerReconnected)])
            #expect(alice.established[1].inbound && alice.manager.linkCount == 1)
            try network.send(TestMessages.make(5), from: alice, to: reborn)
            #expect(network.run(forMilliseconds: 1_000) { reborn.delivered.count == 1 })
        }
    }
}
