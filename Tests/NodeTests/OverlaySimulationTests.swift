import Testing
import Node
import Reload
import Simulator
import Wire

/// Many nodes of the real Node code on a simulated network (RFC 6940 §10 CHORD-RELOAD): the
/// ring converges to the right successors and predecessors, and a request for any
/// Resource-ID reaches the node responsible for it. Each test prints its seed.
@Suite struct OverlaySimulationTests {
    static func configuration() -> NodeConfiguration {
        var configuration = NodeConfiguration(overlayName: "sim.example")
        configuration.updateIntervalMilliseconds = 30_000
        configuration.fingerRefreshIntervalMilliseconds = 60_000
        return configuration
    }

    func grow(_ simulation: Simulation, to count: Int, spacingMilliseconds: UInt64 = 1000) throws {
        for _ in simulation.nodes.count..<count {
            let bootstrap = simulation.nodes.isEmpty ? [0] : [0, simulation.nodes.count / 2]
            try simulation.addNode(bootstrap: Array(Set(bootstrap)).sorted())
            simulation.run(milliseconds: spacingMilliseconds)
        }
    }

    func converge(_ simulation: Simulation, withinMilliseconds limit: UInt64) -> [String] {
        var waited: UInt64 = 0
        var problems = simulation.ringProblems()
        while !problems.isEmpty && waited < limit {
            simulation.run(milliseconds: 1000)
            waited += 1000
            problems = simulation.ringProblems()
        }
        return problems
    }

    func checkLookups(_ simulation: Simulation, count: Int) -> [String] {
        var failures: [String] = []
        for _ in 0..<count {
            let key = simulation.randomKey()
            let from = simulation.randomLiveIndex()
            let expected = simulation.responsible(for: key)
            switch simulation.lookup(key, from: from) {
            case .pong(let responder, _, _)?:
                if responder != expected { failures.append("key \(Hex.encode(key)) from \(from): \(responder.hex), want \(expected.hex)") }
            case let other:
                failures.append("key \(Hex.encode(key)) from \(from): \(String(describing: other))")
            }
        }
        return failures
    }

    @Test func twoNodesFormARing() throws {
        let simulation = try Simulation(seed: 1, network: SimulatedNetwork(), configuration: Self.configuration())
        try grow(simulation, to: 2)
        let problems = converge(simulation, withinMilliseconds: 20_000)
        #expect(problems.isEmpty, "seed 1: \(problems)")
        #expect(checkLookups(simulation, count: 10).isEmpty)
    }

    @Test(arguments: [UInt64(11), 12])
    func twentyNodesConvergeAndRouteOnACleanNetwork(seed: UInt64) throws {
        print("OverlaySimulationTests seed \(seed)")
        let simulation = try Simulation(seed: seed, network: SimulatedNetwork(), configuration: Self.configuration())
        try grow(simulation, to: 20)
        let problems = converge(simulation, withinMilliseconds: 60_000)
        #expect(problems.isEmpty, "seed \(seed): \(problems)")
        let failures = checkLookups(simulation, count: 40)
        #expect(failures.isEmpty, "seed \(seed): \(failures)")
    }
}
