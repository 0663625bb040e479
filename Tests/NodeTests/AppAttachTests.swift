import Testing
import Node
import Reload
import Simulator
import Wire

/// AppAttach (RFC 6940 §6.5.2) on a simulated overlay: the request is routed to the Node-ID,
/// the answerer returns its candidates for the application and asks its runner to open the
/// connection to the requester (§6.5.1.13: the answerer is the DTLS client); applications
/// a node does not serve are refused with Error_Not_Found (§6.5.2.2).
@Suite struct AppAttachTests {
    static let sip: UInt16 = 5060

    static func appAddress(_ index: Int) -> IpAddressPort {
        return .ipv4(10, 0, 1, UInt8(truncatingIfNeeded: index), port: 5062)
    }

    func overlay(seed: UInt64, count: Int, serving: [Int]) throws -> Simulation {
        let simulation = try Simulation(seed: seed, network: SimulatedNetwork(), configuration: OverlaySimulationTests.configuration())
        let helper = OverlaySimulationTests()
        try helper.grow(simulation, to: count)
        let problems = helper.converge(simulation, withinMilliseconds: 60_000)
        #expect(problems.isEmpty, "seed \(seed): \(problems)")
        for index in serving { simulation.nodes[index].node.serveApplication(Self.sip, candidates: [Self.appAddress(index)]) }
        return simulation
    }

    func appAttach(_ simulation: Simulation, from index: Int, to target: Int, application: UInt16 = sip) -> RequestResult? {
        let node = simulation.nodes[index].node
        let (handle, actions) = node.appAttach(to: simulation.nodes[target].identity.nodeId, application: application, now: simulation.time)
        simulation.perform(actions, by: index)
        simulation.run(milliseconds: 60_000) { simulation.nodes[index].completions[handle] != nil }
        return simulation.nodes[index].completions[handle]
    }

    @Test func answererReturnsItsCandidatesAndOpensTheConnection() throws {
        let simulation = try overlay(seed: 71, count: 8, serving: Array(0..<8))
        for (from, to) in [(1, 6), (6, 1), (3, 4), (7, 0)] {
            let result = appAttach(simulation, from: from, to: to)
            let expected = RequestResult.appAttached(
                responder: simulation.nodes[to].identity.nodeId, application: Self.sip, addresses: [Self.appAddress(to)])
            #expect(result == expected, "seed 71: \(from) -> \(to): \(String(describing: result))")
            let opened = simulation.nodes[to].appLinksToOpen.last
            let wanted = NodeAction.openAppLink(application: Self.sip, peer: simulation.nodes[from].identity.nodeId, address: Self.appAddress(from))
            #expect(opened == wanted, "seed 71: \(from) -> \(to): the answerer opens the connection to the requester")
        }
        let answered = simulation.nodes.reduce(0) { $0 + $1.node.counters.appAttachesAnswered }
        #expect(answered == 4)
    }

    @Test func unservedApplicationIsNotFound() throws {
        let simulation = try overlay(seed: 72, count: 5, serving: [0, 1, 2, 3])
        let result = appAttach(simulation, from: 1, to: 4)
        guard case .error(let code, _)? = result else {
            Issue.record("seed 72: \(String(describing: result))")
            return
        }
        #expect(code == .notFound)
        #expect(simulation.nodes[4].appLinksToOpen.isEmpty)
        // Asking for an application this node does not serve fails at once, with no message.
        let local = appAttach(simulation, from: 4, to: 1)
        guard case .failed(let reason)? = local else {
            Issue.record("seed 72: \(String(describing: local))")
            return
        }
        #expect(reason.contains("not served"))
        let sips = appAttach(simulation, from: 2, to: 3, application: 5061)
        guard case .failed? = sips else {
            Issue.record("seed 72: 5061 is not served by node 2 either: \(String(describing: sips))")
            return
        }
    }

    @Test func appAttachToAnAbsentNodeFails() throws {
        let simulation = try overlay(seed: 73, count: 5, serving: Array(0..<5))
        let node = simulation.nodes[2].node
        let absent = NodeId(bytes: [UInt8](repeating: 0x5A, count: 16))!
        let (handle, actions) = node.appAttach(to: absent, application: Self.sip, now: simulation.time)
        simulation.perform(actions, by: 2)
        simulation.run(milliseconds: 60_000) { simulation.nodes[2].completions[handle] != nil }
        switch simulation.nodes[2].completions[handle] {
        case .failed?, .error?: break
        case let other: Issue.record("seed 73: an AppAttach to a Node-ID nobody has: \(String(describing: other))")
        }
        #expect(simulation.nodes.allSatisfy { $0.appLinksToOpen.isEmpty })
    }
}
