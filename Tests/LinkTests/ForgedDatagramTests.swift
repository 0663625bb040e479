import Foundation
import Testing
@testable import Link
import Reload
import Wire
import TestSupport

/// What someone who can send from a peer's address (and has seen its traffic) cannot do: end
/// an established link with one forged datagram. Found by the random-datagram test.
@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct ForgedDatagramTests {
    @Test func datagramsMustBeWholeRecords() {
        let record: [UInt8] = [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 7, 0, 3, 0xAA, 0xBB, 0xCC]
        #expect(DatagramRecords.areWhole(record))
        #expect(DatagramRecords.areWhole(record + record))
        #expect(DatagramRecords.areWhole([22, 0xFE, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))  // empty record
        #expect(!DatagramRecords.areWhole([]))
        #expect(!DatagramRecords.areWhole(Array(record.dropLast())))  // runs past the end
        #expect(!DatagramRecords.areWhole(record + [23]))  // trailing bytes
        var unknownType = record
        unknownType[0] = 99
        var notDTLS = record
        notDTLS[1] = 3
        #expect(!DatagramRecords.areWhole(unknownType) && !DatagramRecords.areWhole(notDTLS))
    }

    @Test func aRecordRunningPastTheDatagramIsDiscardedNotFatal() throws {
        let (network, alice, bob) = try OverlayLinkTests.established(seed: 31)
        var lastToBob: [UInt8] = []
        network.observer = { if $0.to == bob.address { lastToBob = $0.bytes } }
        try network.send(TestMessages.make(1, bodyBytes: 500), from: alice, to: bob)
        #expect(network.run(forMilliseconds: 1_000) { bob.delivered.count == 1 })
        let link = try #require(bob.manager.link(to: alice.address))
        for forged in [Array(lastToBob.dropLast()), lastToBob + [23], Array(lastToBob.prefix(20))] {
            network.perform(bob.manager.receive(forged, from: alice.address, now: network.now), by: bob)
        }
        #expect(link.state == .established && link.sessionCounters.datagramsMalformed == 3)
        try network.send(TestMessages.make(2), from: alice, to: bob)
        #expect(network.run(forMilliseconds: 1_000) { bob.delivered.count == 2 })
    }

    @Test func aMalformedClientHelloRecordDoesNotEndTheLinkInEitherDirection() throws {
        let (network, alice, bob) = try OverlayLinkTests.established(seed: 33)
        // An epoch-0 handshake record of type client_hello that does not parse (a fragment
        // offset, a cut body): mbedTLS fails an established server session on it.
        var forged: [UInt8] = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 40, 1, 0, 0, 100, 0, 1, 0, 0, 7, 0, 0, 20, 0xFE, 0xFD]
        forged += [UInt8](repeating: 0x42, count: 13 + 40 - forged.count)
        #expect(DatagramRecords.areWhole(forged) && ClientHelloCookie.isClientHelloRecord(forged) && ClientHelloCookie.parse(forged) == nil)
        network.perform(bob.manager.receive(forged, from: alice.address, now: network.now), by: bob)  // bob's link is inbound
        network.perform(alice.manager.receive(forged, from: bob.address, now: network.now), by: alice)  // alice's is outbound
        #expect(bob.manager.counters.malformedClientHellosDropped == 1 && alice.manager.counters.malformedClientHellosDropped == 1)
        // Straight to the link (no manager in front): dropped there too.
        let link = try #require(bob.manager.link(to: alice.address))
        #expect(link.receive(forged, now: network.now).isEmpty && link.counters.clientHellosDropped == 1)
        try network.send(TestMessages.make(1), from: alice, to: bob)
        try network.send(TestMessages.make(2), from: bob, to: alice)
        #expect(network.run(forMilliseconds: 1_000) { bob.delivered.count == 1 && alice.delivered.count == 1 })
        #expect(alice.failed.isEmpty && bob.failed.isEmpty)
    }

    @Test func aReplayedClientHelloWithAnotherRandomDoesNotEndTheLink() throws {
        let pki = try TestPKI.load()
        let network = SimulatedNetwork(seed: 32)
        let short = HandshakeTimeouts(initialRetransmitMilliseconds: 1_000, maximumRetransmitMilliseconds: 60_000, totalMilliseconds: 5_000)
        let alice = try network.add("alice", try TestManagers.configuration(pki.alice), index: 1)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob, timeouts: short), index: 2)
        var hellos: [[UInt8]] = []
        network.observer = { if $0.to == bob.address, let hello = ClientHelloCookie.parse($0.bytes), !hello.cookie.isEmpty { hellos.append($0.bytes) } }
        try network.connect(alice, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { LinkManagerTests.isEstablished(bob, to: alice) })
        let withCookie = try #require(hellos.first)
        let link = try #require(bob.manager.link(to: alice.address))

        // The same hello again (a late retransmission): dropped by its random.
        network.perform(bob.manager.receive(withCookie, from: alice.address, now: network.now), by: bob)
        #expect(link.counters.clientHellosDropped == 1)
        // Another random, same (still valid) cookie: a handshake starts beside the link, which
        // keeps working, and the handshake runs out at its limit.
        var forged = withCookie
        forged[LinkLimits.dtlsRecordHeaderBytes + LinkLimits.dtlsHandshakeHeaderBytes + 2] ^= 0xFF  // random[0]
        network.perform(bob.manager.receive(forged, from: alice.address, now: network.now), by: bob)
        #expect(link.successor != nil && bob.manager.handshakesInProgress == 1)
        try network.send(TestMessages.make(3), from: alice, to: bob)
        try network.send(TestMessages.make(4), from: bob, to: alice)
        #expect(network.run(forMilliseconds: 1_000) { bob.delivered.count == 1 && alice.delivered.count == 1 })
        network.run(forMilliseconds: 10_000)
        #expect(link.successor == nil && bob.manager.counters.successorHandshakesFailed == 1)
        #expect(bob.manager.link(to: alice.address) === link && link.state == .established)
        #expect(bob.failed.isEmpty && alice.failed.isEmpty && bob.manager.handshakesInProgress == 0)
    }
}
