import Testing
@testable import Chord
import TestSupport

/// CHORD-RELOAD tables against a naive model: the sorted array of all Node-IDs.
@Suite struct ChordTableTests {
    struct Ring {
        var sorted: [RingId]

        init(count: Int, random: inout SeededRandom) {
            var ids = Set<RingId>()
            while ids.count < count { ids.insert(RingId(random.next128())) }
            sorted = ids.sorted()
        }

        /// Naive: the first node at or after k, wrapping (§10.1).
        func responsible(for key: RingId) -> RingId {
            return sorted.first { $0 >= key } ?? sorted[0]
        }

        func successors(of id: RingId, count: Int) -> [RingId] {
            let index = sorted.firstIndex(of: id)!
            return (1...min(count, sorted.count - 1)).map { sorted[(index + $0) % sorted.count] }
        }

        func predecessors(of id: RingId, count: Int) -> [RingId] {
            let index = sorted.firstIndex(of: id)!
            return (1...min(count, sorted.count - 1)).map { sorted[(index - $0 + sorted.count) % sorted.count] }
        }

        /// A table that knows every node (as after a complete join and stabilization).
        func fullTable(for id: RingId, fingers: Int = 16) -> ChordTable {
            var table = ChordTable(selfId: id, successors: 3, predecessors: 3, fingers: fingers)
            for other in sorted where other != id { _ = table.add(other) }
            return table
        }

        /// The nodes at most `steps` places before or after `id` on the sorted ring.
        func within(_ steps: Int, of id: RingId) -> Set<RingId> {
            guard steps > 0, sorted.count > 1 else { return [] }
            return Set(successors(of: id, count: steps) + predecessors(of: id, count: steps)).subtracting([id])
        }

        /// Naive: `id` holds `resource` when it is the responsible node or one of the next
        /// r - 1 (§10.4); in a ring of at most r nodes every node holds everything.
        func holds(_ id: RingId, _ resource: RingId, replicationFactor factor: Int) -> Bool {
            if sorted.count <= factor { return true }
            let first = sorted.firstIndex(of: responsible(for: resource))!
            let position = sorted.firstIndex(of: id)!
            return (position - first + sorted.count) % sorted.count < factor
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func neighborsAndResponsibilityMatchTheModel(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let ring = Ring(count: 2 + Int(random.next() % 60), random: &random)
        for id in ring.sorted {
            let table = ring.fullTable(for: id)
            #expect(table.successors == ring.successors(of: id, count: 3))
            #expect(table.predecessors == ring.predecessors(of: id, count: 3))
            #expect(!table.contains(id))
            for _ in 0..<50 {
                let key = RingId(random.next128())
                #expect(table.isResponsible(for: key) == (ring.responsible(for: key) == id))
            }
            #expect(table.isResponsible(for: id))
        }
    }

    @Test(arguments: [11, 12, 13, 14])
    func greedyRoutingReachesTheResponsibleNodeInLogarithmicHops(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let ring = Ring(count: 200, random: &random)
        var tables: [RingId: ChordTable] = [:]
        for id in ring.sorted { tables[id] = ring.fullTable(for: id) }
        var longest = 0
        for _ in 0..<300 {
            let key = RingId(random.next128())
            var at = ring.sorted[Int(random.next() % UInt64(ring.sorted.count))]
            var hops = 0
            while case .peer(let next) = tables[at]!.nextHop(toward: key, isDirectlyConnected: { tables[at]!.contains($0) }) {
                at = next
                hops += 1
                if hops > 64 { break }
            }
            #expect(at == ring.responsible(for: key))
            longest = max(longest, hops)
        }
        // 200 nodes, 16 fingers, 3 successors: O(log N) hops, far below N.
        #expect(longest <= 16, "longest route \(longest) hops")
    }

    @Test func directlyConnectedNodeIsUsedFirst() {
        var random = SeededRandom(seed: 99)
        let ring = Ring(count: 50, random: &random)
        let me = ring.sorted[0]
        let table = ring.fullTable(for: me)
        let target = ring.sorted[25]
        #expect(table.nextHop(toward: target, isDirectlyConnected: { $0 == target }) == .peer(target))
    }

    /// §6.3.4 check 2: of every node on the ring, only those at least as close (clockwise from
    /// the key) as our nearest neighbor may answer for it; the responsible node always may,
    /// the forwarders before the key never do.
    @Test func onlyNodesAsCloseAsANeighborMayAnswerForAResource() {
        var random = SeededRandom(seed: 31)
        let ring = Ring(count: 200, random: &random)
        let me = ring.sorted[10]
        let table = ring.fullTable(for: me)
        for _ in 0..<200 {
            let key = RingId(random.next128())
            guard !table.isResponsible(for: key) else { continue }
            let responsible = ring.sorted.first { $0 >= key } ?? ring.sorted[0]
            #expect(table.isPlausibleResponder([responsible], for: key))
            // The key's predecessor forwards to the responsible node: never a plausible answerer.
            let predecessor = ring.sorted.last { $0 < key } ?? ring.sorted.last!
            #expect(!table.isPlausibleResponder([predecessor], for: key))
            // The responsible node is never on the way to the key; its predecessor always is
            // (it is where the route ends), unless that is us.
            #expect(!table.isBeforeKey([responsible], key))
            #expect(table.isBeforeKey([predecessor], key) == (predecessor != me))
            // Any other node is plausible exactly when no neighbor is closer.
            let other = ring.sorted[Int(random.next128() % UInt128(ring.sorted.count))]
            let nearest = table.neighbors.map { key.distance(to: $0) }.min()!
            #expect(table.isPlausibleResponder([other], for: key) == (key.distance(to: other) <= nearest))
            // A signer with several Node-IDs qualifies by any of them.
            #expect(table.isPlausibleResponder([predecessor, responsible], for: key))
        }
        // Alone, every answer is plausible.
        #expect(ChordTable(selfId: me, successors: 3, predecessors: 3, fingers: 16).isPlausibleResponder([ring.sorted[3]], for: ring.sorted[2]))
    }

    /// The neighbor table names the responsible node of every key between our farthest
    /// predecessor and our farthest successor (§10.1), and no node for a key outside it.
    @Test func theNeighborTableNamesTheResponsibleNodeAcrossItsSpan() {
        var random = SeededRandom(seed: 47)
        for count in [2, 4, 7, 200] {
            let ring = Ring(count: count, random: &random)
            let me = ring.sorted[count / 2]
            let table = ring.fullTable(for: me)
            let low = table.predecessors.last!, high = table.successors.last!
            for _ in 0..<300 {
                let key = RingId(random.next128())
                let named = table.responsibleNeighbor(for: key)
                if table.isResponsible(for: key) {
                    #expect(named == nil)
                } else if count <= 4 || key.isBetween(after: low, upTo: high) {  // ≤ 4: the lists wrap
                    #expect(named == ring.responsible(for: key), "ring of \(count)")
                } else {
                    #expect(named == nil, "ring of \(count): a key outside the neighbor span")
                }
            }
        }
    }

    /// A retransmission avoids the first hops tried before: the next best peer before the key,
    /// and the best one again when all were tried.
    @Test func nextHopAvoidsTriedPeers() {
        var random = SeededRandom(seed: 32)
        let ring = Ring(count: 300, random: &random)
        let me = ring.sorted[0]
        let table = ring.fullTable(for: me)
        let key = ring.sorted[200].adding(1)
        guard case .peer(let first) = table.nextHop(toward: key, isDirectlyConnected: { _ in false }) else {
            Issue.record("no next hop")
            return
        }
        guard case .peer(let second) = table.nextHop(toward: key, avoiding: [first], isDirectlyConnected: { _ in false }) else {
            Issue.record("no second hop")
            return
        }
        #expect(second != first && second.isStrictlyBetween(me, key) && me.distance(to: second) < me.distance(to: first))
        let before = table.routingPeers.filter { $0.isStrictlyBetween(me, key) }
        #expect(table.nextHop(toward: key, avoiding: before, isDirectlyConnected: { _ in false }) == .peer(first))
    }

    /// The spacing estimate from the neighbors is the mean gap between them.
    @Test func meanSpacingIsTheMeanGapAroundUs() {
        var random = SeededRandom(seed: 33)
        let ring = Ring(count: 100, random: &random)
        let table = ring.fullTable(for: ring.sorted[50])
        let expected = ring.sorted[47].distance(to: ring.sorted[53]) / 6
        #expect(table.meanSpacing == expected)
        #expect(ChordTable(selfId: ring.sorted[0], successors: 3, predecessors: 3, fingers: 16).meanSpacing == nil)
    }

    @Test func insertOnlyKeepsTheNearestNeighborsOfEverythingSeen() {
        var random = SeededRandom(seed: 7)
        let ring = Ring(count: 80, random: &random)
        let me = ring.sorted[40]
        var table = ChordTable(selfId: me, successors: 4, predecessors: 4, fingers: 16)
        var seen: [RingId] = [me]
        for id in ring.sorted.shuffled(using: &random) where id != me {
            _ = table.add(id)
            seen.append(id)
            let partial = Ring(sorted: seen.sorted())
            #expect(table.successors == partial.successors(of: me, count: 4))
            #expect(table.predecessors == partial.predecessors(of: me, count: 4))
            #expect(table.routingPeers.count <= 4 + 4 + 16)
        }
    }

    @Test func removalFillsTheGapFromWhatTheTableKnows() {
        var random = SeededRandom(seed: 3)
        let ring = Ring(count: 30, random: &random)
        let me = ring.sorted[10]
        var table = ring.fullTable(for: me)
        let failed = table.successors[0]
        let known = table.routingPeers.filter { $0 != failed }
        let change = table.remove(failed)
        #expect(change.neighbors)
        #expect(!table.contains(failed))
        // The new successors are the nearest of the peers the table still knows.
        let expected = known.sorted { me.distance(to: $0) < me.distance(to: $1) }.prefix(3)
        #expect(table.successors == Array(expected))
        #expect(Array(table.successors.prefix(2)) == Array(ring.successors(of: me, count: 3).dropFirst()))
        #expect(table.remove(failed) == ChordTable.Change())  // already gone: nothing changes
        let predecessorChange = table.remove(table.predecessors[0])
        #expect(predecessorChange.responsibleRange)
    }

    @Test func fingersLieInTheirRanges() {
        var random = SeededRandom(seed: 5)
        let ring = Ring(count: 500, random: &random)
        let me = ring.sorted[0]
        let table = ring.fullTable(for: me, fingers: 20)
        for index in 1...20 {
            let (start, end) = table.fingerRange(index)
            #expect(start == me.adding(powerOfTwo: 128 - index))
            if let finger = table.fingers[index - 1] {
                #expect(start.distance(to: finger) <= start.distance(to: end))
                // The nearest node at or after the range start.
                #expect(finger == ring.responsible(for: start))
            } else {
                #expect(!ring.sorted.contains { start.distance(to: $0) <= start.distance(to: end) })
            }
        }
        #expect(table.fingerRange(1).end == RingId(me.value &- 1))
    }

    @Test func aloneOrEmptyIsResponsibleForEverything() {
        let table = ChordTable(selfId: RingId(5), successors: 3, predecessors: 3, fingers: 16)
        #expect(table.isResponsible(for: RingId(0)))
        #expect(table.nextHop(toward: RingId(UInt128.max), isDirectlyConnected: { _ in false }) == .local)
        var pair = table
        _ = pair.add(RingId(100))
        #expect(pair.successors == [RingId(100)])
        #expect(pair.predecessors == [RingId(100)])
        #expect(pair.isResponsible(for: RingId(3)))  // (100, 5] wraps through 0
        #expect(!pair.isResponsible(for: RingId(50)))
        #expect(pair.add(RingId(5)) == ChordTable.Change())  // never itself
    }

    @Test func replicasAndTheirPlausibility() {
        var random = SeededRandom(seed: 17)
        let ring = Ring(count: 40, random: &random)
        let responsibleIndex = 20
        let responsible = ring.sorted[responsibleIndex]
        let key = RingId(ring.sorted[responsibleIndex - 1].value &+ 1)  // just after the previous node
        let table = ring.fullTable(for: responsible)
        let replicas = table.replicaTargets(replicationFactor: 3)
        #expect(replicas == [ring.sorted[21], ring.sorted[22]])
        // The replica holders accept the Store from the responsible peer, others do not.
        for (offset, holder) in replicas.enumerated() {
            let holderTable = ring.fullTable(for: holder)
            #expect(holderTable.isPlausibleReplicaSender(responsible, resource: key, replicationFactor: 3), "replica \(offset + 1)")
            #expect(!holderTable.isPlausibleReplicaSender(responsible, resource: ring.sorted[30], replicationFactor: 3))
        }
        let farTable = ring.fullTable(for: ring.sorted[25])
        #expect(!farTable.isPlausibleReplicaSender(responsible, resource: key, replicationFactor: 3))
        // Who should drop R: the responsible node and two successors keep it; the third drops.
        #expect(!ring.fullTable(for: responsible).isOutsideReplicaSet(key, replicationFactor: 3))
        #expect(!ring.fullTable(for: ring.sorted[22]).isOutsideReplicaSet(key, replicationFactor: 3))
        #expect(ring.fullTable(for: ring.sorted[23]).isOutsideReplicaSet(key, replicationFactor: 3))
    }

    /// The one replica-sender rule (§7.4.1.1, §10.4, §10.7.3) against the naive model, on
    /// rings of every size: a full table accepts a replica Store exactly when the sender is
    /// within r - 1 places of it either way round the sorted ring and the resource is one it
    /// holds (it is the responsible node or one of the r - 1 after it).
    @Test(arguments: [31, 32, 33, 34, 35, 36])
    func replicaSenderRuleMatchesTheModel(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let ring = Ring(count: 2 + Int(random.next() % 12), random: &random)
        let outsider = RingId(random.next128())
        var accepted = 0
        var refused = 0
        for holder in ring.sorted {
            let table = ring.fullTable(for: holder)
            for factor in 1...3 {
                let near = ring.within(factor - 1, of: holder)
                var resources = ring.sorted + [outsider]
                for _ in 0..<20 { resources.append(RingId(random.next128())) }
                for sender in ring.sorted + [outsider] where sender != holder {
                    for resource in resources {
                        let expected = near.contains(sender) && ring.holds(holder, resource, replicationFactor: factor)
                        let found = table.isPlausibleReplicaSender(sender, resource: resource, replicationFactor: factor)
                        #expect(found == expected, "seed \(seed): \(ring.sorted.count) nodes, r \(factor), \(sender.hex) -> \(holder.hex) for \(resource.hex)")
                        if found { accepted += 1 } else { refused += 1 }
                    }
                }
            }
        }
        // Both answers occur, or the comparison would prove little.
        #expect(accepted > 0 && refused > 0, "seed \(seed): \(accepted) accepted, \(refused) refused")
    }

    /// A peer that knows fewer than r predecessors (right after the peers between them died)
    /// takes any resource from a near predecessor: its range may be wider than we know.
    @Test func replicaSenderWithAPartialViewIsTakenForAnyResource() {
        var table = ChordTable(selfId: RingId(1000), successors: 3, predecessors: 3, fingers: 16)
        _ = table.add(RingId(900))
        _ = table.add(RingId(1100))
        #expect(table.isPlausibleReplicaSender(RingId(900), resource: RingId(5), replicationFactor: 3))
        #expect(table.isPlausibleReplicaSender(RingId(1100), resource: RingId(950), replicationFactor: 3))
        #expect(!table.isPlausibleReplicaSender(RingId(800), resource: RingId(950), replicationFactor: 3))
        #expect(!table.isPlausibleReplicaSender(RingId(900), resource: RingId(950), replicationFactor: 1))
    }

    @Test func ringArithmetic() {
        let zero = RingId(0)
        let max = RingId(UInt128.max)
        #expect(max.adding(1) == zero)
        #expect(max.distance(to: zero) == 1)
        #expect(zero.isStrictlyBetween(max, RingId(1)))
        #expect(!RingId(1).isStrictlyBetween(max, RingId(1)))
        #expect(RingId(1).isBetween(after: max, upTo: RingId(1)))
        #expect(RingId(bytes: RingId(0x0102).bytes) == RingId(0x0102))
        #expect(RingId(bytes: [1, 2, 3]) == nil)
        #expect(RingId(0xAB).hex == "000000000000000000000000000000ab")
    }
}

extension ChordTableTests.Ring {
    init(sorted: [RingId]) { self.sorted = sorted }
}
