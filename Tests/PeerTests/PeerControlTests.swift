import Node
import Peer
import Reload
import Simulator
import Testing
import Wire

/// The control requests of the peer core (what `p2psip status`, `ping`, `put`, `get` send),
/// on one simulated peer that starts the overlay and on a ring of three.
@Suite struct PeerControlTests {
    static func ask(_ simulation: PeerSimulation, _ peer: Int, _ words: [String]) -> (status: Int32, lines: [String])? {
        let connection = simulation.control(peer, words)
        simulation.run(milliseconds: 30_000) { simulation.peers[peer].controlAnswers[connection] != nil }
        return simulation.peers[peer].controlAnswers[connection]
    }

    static func joinedRing(_ count: Int, seed: UInt64) throws -> PeerSimulation {
        let simulation = try PeerSimulation(seed: seed)
        for index in 0..<count { try simulation.addPeer(user: "user\(index)") }
        #expect(simulation.run(milliseconds: 60_000) { simulation.peers.allSatisfy { $0.core.node.phase == .joined } })
        simulation.run(milliseconds: 3_000)
        return simulation
    }

    @Test func usageErrorsAreAnsweredWithStatusTwoAndSayWhatIsWrong() throws {
        let simulation = try Self.joinedRing(1, seed: 11)
        let unknown = Self.ask(simulation, 0, ["frobnicate"])
        #expect(unknown?.status == 2 && unknown?.lines.first?.hasPrefix("unknown request 'frobnicate'") == true)
        let badPing = Self.ask(simulation, 0, ["ping", "xyz"])
        #expect(badPing?.status == 2 && badPing?.lines == ["NODE-ID 'xyz' is not 32 hex digits"])
        let resource = Hex.encode([UInt8](repeating: 0xAB, count: 16))
        let badKind = Self.ask(simulation, 0, ["put", resource, "4242", "-", "00", "60"])
        #expect(badKind?.status == 2 && badKind?.lines == ["kind 4242 is not defined in this overlay: Error_Unknown_Kind"])
        let noSIP = Self.ask(simulation, 0, ["sip-events"])
        #expect(noSIP?.status == 1)
    }

    @Test func statusTextAndJSONDescribeThePeer() throws {
        let simulation = try Self.joinedRing(3, seed: 12)
        let text = try #require(Self.ask(simulation, 1, ["status"]))
        #expect(text.status == 0)
        #expect(text.lines.first == "node: \(simulation.peers[1].identity.nodeId.hex)")
        #expect(text.lines.contains("  state: joined"))
        // Both other peers are linked and shown with their address.
        for other in [0, 2] {
            #expect(text.lines.contains { $0.hasPrefix("link: \(simulation.peers[other].identity.nodeId.hex)") }, "\(text.lines)")
        }
        let json = try #require(Self.ask(simulation, 1, ["status", "--json"]))
        #expect(json.status == 0 && json.lines.count == 1)
        #expect(json.lines[0].contains("\"node_id\":\"\(simulation.peers[1].identity.nodeId.hex)\""))
    }

    /// Requests refused and shed, by cause, and the signatures verified, in both forms of
    /// `status`: a peer whose link budget is one request lets the second route query of
    /// another peer through the control socket be refused, and the refusal is counted.
    @Test func statusShowsRequestsRefusedByCause() throws {
        let simulation = try PeerSimulation(seed: 14)
        try simulation.addPeer(user: "user0")
        var strict = NodeConfiguration(overlayName: "sim.p2psip")
        strict.requestsPerMinute = 1
        strict.requestBurst = 1
        try simulation.addPeer(user: "user1", node: strict)
        #expect(simulation.run(milliseconds: 60_000) { simulation.peers.allSatisfy { $0.core.node.phase == .joined } })
        simulation.run(milliseconds: 3_000)
        let target = simulation.peers[1].identity.nodeId.hex
        var answers: [[String]] = []
        for _ in 0..<3 { answers.append(Self.ask(simulation, 0, ["route-query", target])?.lines ?? []) }
        #expect(answers.contains { $0.first?.contains("Error_Request_Timeout: over budget") == true }, "\(answers)")
        let counters = simulation.peers[1].core.node.counters
        #expect(counters.refusedLinkBudget >= 1 && counters.signaturesVerified > 0)
        let text = try #require(Self.ask(simulation, 1, ["status"]))
        #expect(text.lines.contains { $0.hasPrefix("  requests refused: link budget \(counters.refusedLinkBudget), user budget 0, ") }, "\(text.lines)")
        #expect(text.lines.contains { $0.hasPrefix("  signatures verified: ") }, "\(text.lines)")
        let json = try #require(Self.ask(simulation, 1, ["status", "--json"]))
        #expect(json.lines[0].contains("\"requests_refused\":{\"link_budget\":\(counters.refusedLinkBudget),\"user_budget\":0,"), "\(json.lines)")
        #expect(json.lines[0].contains("\"signatures_verified\":"))
    }

    /// RFC 7904 §3.3 USER-NODE-MATCH: user0's peer may write the SIP-REGISTRATION entry of
    /// user0 under its own Node-ID; another peer reads it back, verified.
    @Test func putThenGetThroughAnotherPeerAndPing() throws {
        let simulation = try Self.joinedRing(3, seed: 13)
        let resource = Hex.encode(PeerStorageRequests.resourceId("user0@sim.p2psip").bytes)
        let kind = "\(KindId.sipRegistration.rawValue)"
        let key = "k:" + simulation.peers[0].identity.nodeId.hex
        let put = try #require(Self.ask(simulation, 0, ["put", resource, kind, key, "68656c6c6f", "600"]))
        #expect(put.status == 0 && put.lines.first?.hasPrefix("stored at ") == true, "\(put.lines)")
        let get = try #require(Self.ask(simulation, 2, ["get", resource, kind, key]))
        #expect(get.status == 0 && get.lines.contains { $0.contains("1 value(s)") } && get.lines.contains { $0.contains(": hello") }, "\(get.lines)")
        // Another user's entry is not ours to write (§7.3): Error_Forbidden.
        let foreign = Hex.encode(PeerStorageRequests.resourceId("user1@sim.p2psip").bytes)
        let refused = try #require(Self.ask(simulation, 0, ["put", foreign, kind, key, "68656c6c6f", "600"]))
        #expect(refused.status == 1 && refused.lines.first?.contains("Error_Forbidden") == true, "\(refused.lines)")
        let ping = try #require(Self.ask(simulation, 0, ["ping", simulation.peers[2].identity.nodeId.hex]))
        #expect(ping.status == 0 && ping.lines.first?.hasPrefix("pong from \(simulation.peers[2].identity.nodeId.hex)") == true, "\(ping.lines)")
        let route = try #require(Self.ask(simulation, 1, ["route-query", resource]))
        #expect(route.status == 0 && route.lines.first?.hasPrefix("responsible: ") == true, "\(route.lines)")
    }
}
