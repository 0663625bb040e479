import Testing
@testable import Chord
import TestSupport

/// The routing table's Sybil limit (RFC 6940 §13.6.1): at most `slotsPerOwner` neighbor
/// entries and, apart, finger entries per owner.
@Suite struct SybilLimitTests {
    let me = RingId(1 << 100)

    func table(slots: Int = 2, successors: Int = 3, predecessors: Int = 3) -> ChordTable {
        ChordTable(selfId: me, successors: successors, predecessors: predecessors, fingers: 16, slotsPerOwner: slots)
    }

    func after(_ steps: UInt128) -> RingId { me.adding(steps * 1000) }
    func before(_ steps: UInt128) -> RingId { RingId(me.value &- steps * 1000) }

    func neighborOwners(_ table: ChordTable, _ owner: String) -> Int {
        table.neighbors.filter { table.owners[$0] == owner }.count
    }

    /// Five nearest successors of one user: the neighbor set keeps two of them, the nearest,
    /// and the successor list takes the next peers of other users.
    @Test func fiveNeighborsOfOneUserKeepAtMostK() {
        var table = table()
        for step in 6...8 { _ = table.add(after(UInt128(step)), owner: "honest\(step)") }
        for step in 1...3 { _ = table.add(before(UInt128(step)), owner: "before\(step)") }
        for step in 1...5 { _ = table.add(after(UInt128(step)), owner: "mallory") }
        #expect(neighborOwners(table, "mallory") == 2)
        #expect(table.successors == [after(1), after(2), after(6)])
        #expect(table.predecessors == [before(1), before(2), before(3)])
        #expect(!table.contains(after(3)) && !table.contains(after(5)))
    }

    /// The limit counts successors and predecessors together; the nearest of each side are
    /// taken first, so with K = 2 they are the true ones even when one user owns both.
    @Test func successorsAndPredecessorsShareTheLimit() {
        var table = table()
        for step in 5...7 {
            _ = table.add(after(UInt128(step)), owner: "s\(step)")
            _ = table.add(before(UInt128(step)), owner: "p\(step)")
        }
        for step in 1...4 {
            _ = table.add(after(UInt128(step)), owner: "mallory")
            _ = table.add(before(UInt128(step)), owner: "mallory")
        }
        #expect(table.successors == [after(1), after(5), after(6)])
        #expect(table.predecessors == [before(1), before(5), before(6)])
        #expect(table.isResponsible(for: RingId(me.value &- 1)) && !table.isResponsible(for: before(1)))
    }

    /// One user's peers fill at most K fingers; a finger whose nearest candidate is over the
    /// limit takes another candidate of its range.
    @Test func fingersOfOneUserAtMostK() {
        var table = table()
        // Fingers 1-4 cover [me + 2^127, me), [me + 2^126, me + 2^127), ... : two candidates each.
        for index in 1...4 {
            let start = table.fingerRange(index).start
            _ = table.add(start.adding(1), owner: "mallory")
            _ = table.add(start.adding(2), owner: "honest\(index)")
        }
        let fingers = (1...4).map { table.fingers[$0 - 1] }
        #expect(fingers.compactMap { $0 }.filter { table.owners[$0] == "mallory" }.count == 2)
        #expect(fingers.allSatisfy { $0 != nil })
        #expect(fingers[2] == table.fingerRange(3).start.adding(2) && fingers[3] == table.fingerRange(4).start.adding(2))
    }

    /// Every peer of another user, or no owners at all: the tables of §10.7, unchanged.
    @Test(arguments: [1, 2, 3]) func distinctOwnersChangeNothing(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var limited = table()
        var unlimited = ChordTable(selfId: me, successors: 3, predecessors: 3, fingers: 16)
        for index in 0..<60 {
            let peer = RingId(random.next128())
            _ = limited.add(peer, owner: "user\(index)")
            _ = unlimited.add(peer)
        }
        #expect(limited.successors == unlimited.successors && limited.predecessors == unlimited.predecessors)
        #expect(limited.fingers == unlimited.fingers)
        #expect(limited.owners.count == limited.routingPeers.count)
    }

    /// A peer leaving: the next peers move up. A peer left out for its owner's limit is not in
    /// the table (the next Update names it again); owners of peers not in the table are forgotten.
    @Test func removalFreesASlot() {
        var table = table()
        for step in 4...6 { _ = table.add(after(UInt128(step)), owner: "o\(step)") }
        _ = table.add(before(1), owner: "p1")
        for step in 1...3 { _ = table.add(after(UInt128(step)), owner: "mallory") }
        #expect(table.successors == [after(1), after(2), after(4)])
        _ = table.remove(after(1))
        #expect(table.successors == [after(2), after(4), after(5)])
        #expect(table.owners[after(1)] == nil && table.owners[after(3)] == nil)
    }
}
