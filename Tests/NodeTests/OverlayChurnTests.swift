import Signing
import Testing
import Crypto
import Node
import Reload
import Simulator
import Wire

/// The overlay under loss, duplication, reordering, failures, restarts and clean leaves.
@Suite struct OverlayChurnTests {
    let helper = OverlaySimulationTests()

    @Test(arguments: [UInt64(21), 22, 23])
    func lossyNetworkConvergesAndRoutes(seed: UInt64) throws {
        print("OverlayChurnTests lossy seed \(seed)")
        let simulation = try Simulation(seed: seed, network: .lossy, configuration: OverlaySimulationTests.configuration())
        try helper.grow(simulation, to: 15)
        let problems = helper.converge(simulation, withinMilliseconds: 120_000)
        #expect(problems.isEmpty, "seed \(seed): \(problems)")
        let failures = helper.checkLookups(simulation, count: 30)
        #expect(failures.isEmpty, "seed \(seed): \(failures)")
        #expect(simulation.messagesLost > 0, "the lossy network lost nothing: the test would prove nothing")
    }

    @Test func ringRepairsAfterThreeNodesDieAndTheyRejoin() throws {
        let seed: UInt64 = 31
        print("OverlayChurnTests churn seed \(seed)")
        let simulation = try Simulation(seed: seed, network: SimulatedNetwork(), configuration: OverlaySimulationTests.configuration())
        try helper.grow(simulation, to: 15)
        #expect(helper.converge(simulation, withinMilliseconds: 60_000).isEmpty)
        // Three non-adjacent nodes on the ring (every fourth by Node-ID), never node 0.
        let byId = simulation.liveIndices.filter { $0 != 0 }.sorted { simulation.nodes[$0].identity.nodeId < simulation.nodes[$1].identity.nodeId }
        let victims = [byId[1], byId[5], byId[9]]
        let start = simulation.now
        for victim in victims { simulation.kill(victim) }
        let problems = helper.converge(simulation, withinMilliseconds: 120_000)
        let repairMilliseconds = simulation.now.milliseconds(since: start)
        print("OverlayChurnTests: ring repaired \(repairMilliseconds) ms after 3 of 15 nodes died")
        #expect(problems.isEmpty, "seed \(seed): \(problems)")
        #expect(helper.checkLookups(simulation, count: 20).isEmpty)
        for victim in victims { simulation.restart(victim, bootstrap: [0]) }
        let rejoined = helper.converge(simulation, withinMilliseconds: 120_000)
        #expect(rejoined.isEmpty, "seed \(seed) after restart: \(rejoined)")
        #expect(simulation.liveIndices.count == 15)
        #expect(helper.checkLookups(simulation, count: 20).isEmpty)
    }

    @Test func aLeavingNodeIsReplacedWithoutWaitingForFailureDetection() throws {
        let simulation = try Simulation(seed: 41, network: SimulatedNetwork(), configuration: OverlaySimulationTests.configuration())
        try helper.grow(simulation, to: 8)
        #expect(helper.converge(simulation, withinMilliseconds: 60_000).isEmpty)
        simulation.leave(3)
        // Leave is announced (§10.9): neighbors repair well before the link layer would notice.
        simulation.run(milliseconds: 2000)
        #expect(simulation.ringProblems().isEmpty, "\(simulation.ringProblems())")
    }

    @Test func tamperedAndForgedMessagesAreDroppedAndCounted() throws {
        let simulation = try Simulation(seed: 51, network: SimulatedNetwork(), configuration: OverlaySimulationTests.configuration())
        try helper.grow(simulation, to: 3)
        #expect(helper.converge(simulation, withinMilliseconds: 30_000).isEmpty)
        let link = try #require(simulation.link(between: 0, and: 1))
        let target = simulation.nodes[1].identity.nodeId
        // A ping from node 0 to node 1, signed by node 0, with one byte of the body changed.
        let original = try signedPing(from: simulation.nodes[0].identity, to: target, overlay: "sim.example")
        var tampered = original
        // Flip a bit in the ping's padding (signed contents, not the certificate).
        let padding = try #require((0..<(original.count - 100)).first { original[$0..<($0 + 100)].allSatisfy { $0 == 7 } })
        tampered[padding + 50] ^= 0x01
        let before = simulation.nodes[1].node.counters
        simulation.inject(tampered, to: 1, on: link)
        #expect(simulation.nodes[1].node.counters.droppedBadSignature == before.droppedBadSignature + 1)
        #expect(simulation.nodes[1].node.counters.requestsAnswered == before.requestsAnswered)
        // Signed by a key whose certificate another CA issued: the signer is not trusted.
        let outsider = try SimulatedPKI(overlay: "sim.example", random: RandomGenerator(source: .operatingSystem), now: WallTime(secondsSince1970: 1_790_000_000))
        let forged = try signedPing(from: outsider.makeIdentity(user: "mallory@sim.example"), to: target, overlay: "sim.example")
        simulation.inject(forged, to: 1, on: link)
        #expect(simulation.nodes[1].node.counters.droppedUntrustedSigner == before.droppedUntrustedSigner + 1)
        // The untouched message is answered.
        simulation.inject(original, to: 1, on: link)
        #expect(simulation.nodes[1].node.counters.requestsAnswered == before.requestsAnswered + 1)
    }

    func signedPing(from identity: NodeIdentity, to target: NodeId, overlay: String) throws -> [UInt8] {
        let header = ForwardingHeader(overlay: ForwardingHeader.overlayHash(name: overlay), transactionId: 0x1234_5678, destinationList: [.node(target)])
        var message = Message(header: header, contents: MessageContents(body: .pingRequest(PingReq(padding: [UInt8](repeating: 7, count: 100)))),
                              securityBlock: SecurityBlock(certificates: [], signature: .synthesized))
        try message.sign(key: identity.privateKey, identity: .certHash(certificateDER: identity.certificateChain[0]),
                         certificates: identity.certificateChain.map { GenericCertificate(certificate: $0) },
                         random: RandomGenerator(source: .operatingSystem))
        return try message.encode()
    }
}
