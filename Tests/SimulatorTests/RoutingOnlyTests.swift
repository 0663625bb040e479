import Chord
import Foundation
import Node
import Simulator
import Testing

/// The routing-only mode: converged ChordTables of the Node's sizes, lookups routed by the real
/// ChordTable.nextHop, checked against a naive sorted-array model of the ring.
@Suite struct RoutingOnlyTests {
    static let seed: UInt64 = 0x5EED_0001
    static let sizes = RoutingOnlySimulation.nodeTableSizes

    static func simulation(peers: Int, seed: UInt64 = RoutingOnlyTests.seed) -> RoutingOnlySimulation {
        RoutingOnlySimulation(
            peers: peers, seed: seed, successors: sizes.successors, predecessors: sizes.predecessors, fingers: sizes.fingers)
    }

    /// The naive model: the responsible peer is the smallest Node-ID ≥ key, else the smallest.
    static func bruteForceResponsible(_ key: RingId, among ids: [RingId]) -> RingId {
        var best: RingId? = nil
        var smallest = ids[0]
        for id in ids {
            if id < smallest { smallest = id }
            if !(id < key), best == nil || id < best! { best = id }
        }
        return best ?? smallest
    }

    @Test func usesTheNodeDefaultTableSizes() {
        let configuration = NodeConfiguration(overlayName: "x")
        #expect(Self.sizes.successors == configuration.successors)
        #expect(Self.sizes.predecessors == configuration.predecessors)
        #expect(Self.sizes.fingers == configuration.fingers)
        #expect(Self.sizes.fingers <= ChordTable.maximumFingers)
    }

    /// Every table is what stabilisation converges to: true neighbours, and finger i the first
    /// peer at or after fingerTarget(i) when that peer lies in finger i's range.
    @Test func tablesAreConverged() {
        let simulation = Self.simulation(peers: 300)
        let ids = simulation.peerIds
        #expect(Set(ids).count == 300)
        #expect(ids == ids.sorted())
        for (index, table) in simulation.tables.enumerated() {
            #expect(table.selfId == ids[index])
            #expect(table.successors == (1...Self.sizes.successors).map { ids[(index + $0) % ids.count] })
            #expect(table.predecessors == (1...Self.sizes.predecessors).map { ids[(index - $0 + ids.count) % ids.count] })
            for finger in 1...table.fingerCount {
                let range = table.fingerRange(finger)
                let first = ids.min { range.start.distance(to: $0) < range.start.distance(to: $1) }!
                let expected = range.start.distance(to: first) <= range.start.distance(to: range.end) ? first : nil
                #expect(table.fingers[finger - 1] == expected, "peer \(index) finger \(finger)")
            }
        }
    }

    @Test func everyLookupSucceedsWithoutAttackers() {
        var simulation = Self.simulation(peers: 1000)
        let result = simulation.lookups(count: 2000)
        #expect(result.lookups == 2000)
        #expect(result.succeeded == 2000)
        #expect(result.dropped == 0 && result.misrouted == 0)
        #expect(result.hopCounts.values.reduce(0, +) == 2000)
        #expect(result.maximumHops <= RoutingOnlySimulation.maximumHops)
        #expect(result.medianHops <= result.p99Hops && result.p99Hops <= result.maximumHops)
    }

    /// Chord's O(log N): the median lies in [0.25·log2 N, log2 N] and grows with N.
    @Test func medianHopsAreLogarithmic() {
        var medians: [Int] = []
        for peers in [1000, 10_000] {
            var simulation = Self.simulation(peers: peers)
            let result = simulation.lookups(count: 1000)
            #expect(result.succeeded == result.lookups, "N = \(peers)")
            let log2N = log2(Double(peers))
            #expect(Double(result.medianHops) >= 0.25 * log2N, "N = \(peers): median \(result.medianHops), log2 N = \(log2N)")
            #expect(Double(result.medianHops) <= 1.0 * log2N, "N = \(peers): median \(result.medianHops), log2 N = \(log2N)")
            medians.append(result.medianHops)
        }
        #expect(medians[1] > medians[0], "medians \(medians)")
    }

    @Test func sameSeedSameResultOtherSeedDiffers() {
        var first = Self.simulation(peers: 500)
        var again = Self.simulation(peers: 500)
        var other = Self.simulation(peers: 500, seed: Self.seed + 1)
        #expect(first.peerIds == again.peerIds)
        #expect(first.peerIds != other.peerIds)
        let a = first.lookups(count: 500, droppingFraction: 0.2)
        let b = again.lookups(count: 500, droppingFraction: 0.2)
        let c = other.lookups(count: 500, droppingFraction: 0.2)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func droppingPeersStopSomeLookups() {
        var simulation = Self.simulation(peers: 1000)
        let result = simulation.lookups(count: 1000, droppingFraction: 0.3)
        #expect(result.succeeded < result.lookups)
        #expect(result.succeeded > 0)
        #expect(result.dropped > 0)
        #expect(result.dropped + result.succeeded + result.misrouted == result.lookups)
    }

    /// The peer a routed lookup reaches is the naive model's answer.
    @Test func reachesTheBruteForceResponsiblePeer() {
        let simulation = Self.simulation(peers: 500)
        var random = SimulationRandom(seed: 0xC0FFEE)
        for _ in 0..<200 {
            let key = RingId(bytes: random.bytes(16))!
            let origin = Int(random.below(500))
            let expected = Self.bruteForceResponsible(key, among: simulation.peerIds)
            guard case .reached(let peer, let hops) = simulation.lookup(from: origin, key: key) else {
                Issue.record("lookup for \(key.hex) from \(origin) did not arrive")
                continue
            }
            #expect(peer == expected, "key \(key.hex)")
            #expect(hops <= RoutingOnlySimulation.maximumHops)
            #expect((hops == 0) == (simulation.peerIds[origin] == expected))
        }
    }

    @Test func tinyOverlays() {
        var alone = Self.simulation(peers: 1)
        #expect(alone.lookups(count: 10).succeeded == 10)
        var two = Self.simulation(peers: 2)
        let result = two.lookups(count: 50)
        #expect(result.succeeded == 50)
        #expect(result.maximumHops <= 1)
    }

    @Test func percentilesAreNearestRank() {
        let result = RoutingOnlySimulation.Result(lookups: 101, succeeded: 100, hopCounts: [1: 49, 2: 2, 7: 48, 9: 1], dropped: 1, misrouted: 0)
        #expect(result.medianHops == 2)
        #expect(result.p99Hops == 7)
        #expect(result.maximumHops == 9)
    }
}
