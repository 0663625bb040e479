import Chord
import Node

/// Routing-only mode: N converged ChordTables, lookups routed hop by hop by ChordTable.nextHop.
///
/// No messages, links, signatures or clock: every peer holds the real `ChordTable` of module
/// Chord in the state the Node's stabilisation converges to (RFC 6940 §10.7), and a lookup is
/// the sequence of `nextHop` decisions (§10.3) from its origin to the peer that answers
/// `.local`. This is what shows hop counts at 100 … 100,000 peers, where whole simulated nodes
/// would not fit. The same seed gives the same Node-IDs, attackers, origins, keys and results.
public struct RoutingOnlySimulation {
    /// The largest overlay this mode builds (100,000 peers with the Node's table sizes take
    /// about 100 MB; see `memoryBytesEstimate`).
    public static let maximumPeers = 200_000
    /// Forwardings after which a lookup counts as failed (a converged 200,000-peer ring needs
    /// about 9 at the median; 64 only stops a routing loop).
    public static let maximumHops = 64
    /// Lookups one call of `lookups` routes at most.
    public static let maximumLookupsPerCall = 10_000_000
    /// Neighbor table sides this mode accepts (the board configurations use 3 to 8).
    public static let maximumNeighbors = 64

    /// The Node's own table sizes (NodeConfiguration's defaults: 3 successors, 3
    /// predecessors, 16 fingers), so that the figures are those of the peers we ship.
    public static var nodeTableSizes: (successors: Int, predecessors: Int, fingers: Int) {
        let configuration = NodeConfiguration(overlayName: "routing-only")
        return (configuration.successors, configuration.predecessors, configuration.fingers)
    }

    /// One lookup, routed.
    public enum Lookup: Equatable, Sendable {
        /// It reached `peer`, which answered `.local`, after `hops` forwardings.
        case reached(peer: RingId, hops: Int)
        /// The dropping peer `by` should have forwarded it after `hops` forwardings.
        case dropped(by: RingId, hops: Int)
        /// It was still being forwarded after `maximumHops` forwardings.
        case overHopLimit
    }

    public struct Result: Equatable, Sendable {
        public var lookups: Int
        /// Lookups that reached the peer responsible for their key within `maximumHops`.
        public var succeeded: Int
        /// Of the succeeded lookups: hops → number of lookups.
        public var hopCounts: [Int: Int]
        /// Nearest-rank percentiles and maximum of the succeeded lookups' hops (0 when none).
        public var medianHops: Int
        public var p99Hops: Int
        public var maximumHops: Int
        /// Lookups a dropping peer stopped.
        public var dropped: Int
        /// Lookups that ended at a peer that is not responsible, or over the hop limit.
        public var misrouted: Int

        public init(lookups: Int, succeeded: Int, hopCounts: [Int: Int], dropped: Int, misrouted: Int) {
            precondition(succeeded + dropped + misrouted == lookups)
            precondition(hopCounts.values.reduce(0, +) == succeeded)
            self.lookups = lookups
            self.succeeded = succeeded
            self.hopCounts = hopCounts
            self.dropped = dropped
            self.misrouted = misrouted
            medianHops = ScenarioMetrics.percentile(50, of: hopCounts) ?? 0
            p99Hops = ScenarioMetrics.percentile(99, of: hopCounts) ?? 0
            maximumHops = hopCounts.keys.max() ?? 0
        }

        public var successRate: Double { lookups == 0 ? 0 : Double(succeeded) / Double(lookups) }
    }

    public let successorCount: Int
    public let predecessorCount: Int
    public let fingerCount: Int
    /// The peers' Node-IDs in ascending order; `tables[i]` is the table of `peerIds[i]`.
    public let peerIds: [RingId]
    public let tables: [ChordTable]
    /// Continues after the Node-IDs: attackers, origins and keys of each `lookups` call.
    var random: SimulationRandom

    /// `peers` random, distinct 16-byte Node-IDs from `SimulationRandom(seed:)`, each with the
    /// table a converged overlay gives it.
    public init(
        peers: Int, seed: UInt64, successors: Int = RoutingOnlySimulation.nodeTableSizes.successors,
        predecessors: Int = RoutingOnlySimulation.nodeTableSizes.predecessors,
        fingers: Int = RoutingOnlySimulation.nodeTableSizes.fingers
    ) {
        precondition(peers >= 1 && peers <= RoutingOnlySimulation.maximumPeers, "1 to \(RoutingOnlySimulation.maximumPeers) peers")
        precondition(successors >= 1 && successors <= RoutingOnlySimulation.maximumNeighbors)
        precondition(predecessors >= 1 && predecessors <= RoutingOnlySimulation.maximumNeighbors)
        precondition(fingers >= 1 && fingers <= ChordTable.maximumFingers)
        successorCount = successors
        predecessorCount = predecessors
        fingerCount = fingers
        random = SimulationRandom(seed: seed)
        peerIds = RoutingOnlySimulation.distinctIds(peers, &random)
        var tables: [ChordTable] = []
        tables.reserveCapacity(peers)
        for index in 0..<peers {
            tables.append(RoutingOnlySimulation.convergedTable(index, of: peerIds, successors, predecessors, fingers))
        }
        self.tables = tables
        precondition(self.tables.count == peerIds.count)
    }

    /// `count` random, distinct Node-IDs in ascending order.
    static func distinctIds(_ count: Int, _ random: inout SimulationRandom) -> [RingId] {
        var seen = Set<RingId>(minimumCapacity: count)
        var ids: [RingId] = []
        ids.reserveCapacity(count)
        // A repeat among 2^128 values is all but impossible; the bound only makes the loop finite.
        for _ in 0..<(2 * count) where ids.count < count {
            guard let id = RingId(bytes: random.bytes(RingId.byteCount)) else { preconditionFailure("16 bytes") }
            if seen.insert(id).inserted { ids.append(id) }
        }
        precondition(ids.count == count, "could not draw \(count) distinct Node-IDs")
        ids.sort()
        return ids
    }

    /// The table stabilisation converges to (§10.7): the true ring neighbours, and finger i
    /// the first peer at or after fingerTarget(i) when it lies in finger i's range (the peer
    /// an Attach routed to fingerTarget(i) reaches, §10.7.4.2; else the finger stays empty).
    /// The real `add` builds it. Fingers go in first: `add` keeps a finger once set, and picks
    /// the nearest candidate in the range, so a neighbour in a finger's range added before
    /// that finger's first peer would hold the finger instead. Every neighbour in finger i's
    /// range lies at or after its first peer, which is then already there.
    static func convergedTable(_ index: Int, of ids: [RingId], _ successors: Int, _ predecessors: Int, _ fingers: Int) -> ChordTable {
        let count = ids.count
        var table = ChordTable(selfId: ids[index], successors: successors, predecessors: predecessors, fingers: fingers)
        for finger in 1...fingers {
            let range = table.fingerRange(finger)
            let first = ids[firstIndex(atOrAfter: range.start, in: ids)]
            if range.start.distance(to: first) <= range.start.distance(to: range.end) { _ = table.add(first) }
        }
        for step in stride(from: 1, through: min(successors, count - 1), by: 1) {
            _ = table.add(ids[(index + step) % count])
        }
        for step in stride(from: 1, through: min(predecessors, count - 1), by: 1) {
            _ = table.add(ids[(index - step + count) % count])
        }
        assert(count == 1 || table.successors.first == ids[(index + 1) % count])
        assert(count == 1 || table.predecessors.first == ids[(index - 1 + count) % count])
        return table
    }

    /// The index of the first Node-ID at or after `key` going clockwise: the peer responsible
    /// for `key` (§10.1: p < k <= x).
    static func firstIndex(atOrAfter key: RingId, in ids: [RingId]) -> Int {
        precondition(!ids.isEmpty)
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low == ids.count ? 0 : low
    }

    public var peerCount: Int { peerIds.count }

    /// The peer responsible for `key` (§10.1), from the sorted Node-IDs.
    public func responsiblePeer(for key: RingId) -> RingId {
        return peerIds[RoutingOnlySimulation.firstIndex(atOrAfter: key, in: peerIds)]
    }

    func index(of peer: RingId) -> Int {
        let index = RoutingOnlySimulation.firstIndex(atOrAfter: peer, in: peerIds)
        precondition(peerIds[index] == peer, "a table names a peer that is not in the overlay")
        return index
    }

    /// Routes one lookup for `key` from peer `origin` (an index into `peerIds`): each peer on
    /// the way asks its own table for the next hop (§10.3), with the peers in its table as
    /// its only links; a peer whose `dropping` entry is true does not forward (it still
    /// answers for the keys it is responsible for).
    public func lookup(from origin: Int, key: RingId, dropping: [Bool] = []) -> Lookup {
        precondition(origin >= 0 && origin < peerIds.count)
        precondition(dropping.isEmpty || dropping.count == peerIds.count)
        var current = origin
        for hops in 0...RoutingOnlySimulation.maximumHops {
            let table = tables[current]
            switch table.nextHop(toward: key, isDirectlyConnected: { table.contains($0) }) {
            case .local:
                return .reached(peer: peerIds[current], hops: hops)
            case .peer(let next):
                if !dropping.isEmpty && dropping[current] { return .dropped(by: peerIds[current], hops: hops) }
                current = index(of: next)
            }
        }
        return .overHopLimit
    }

    /// `count` lookups, each from a random honest peer to a random 16-byte key; a lookup
    /// succeeds when it reaches the peer responsible for the key (the first Node-ID at or after
    /// it, RFC 6940 §10.1) within `maximumHops`; hops = forwardings (0 if the origin is
    /// responsible).
    ///
    /// `droppingFraction`: that share of the peers (rounded, chosen by the seeded generator
    /// for this call, never an origin) drops every lookup it should forward; they still answer
    /// for keys they are responsible for, so in routing-only mode this measures how exposed
    /// the paths are.
    public mutating func lookups(count: Int, droppingFraction: Double = 0) -> Result {
        precondition(count >= 0 && count <= RoutingOnlySimulation.maximumLookupsPerCall)
        precondition(droppingFraction >= 0 && droppingFraction < 1, "some peer must be honest")
        let dropping = chooseDroppingPeers(fraction: droppingFraction)
        let honest = peerIds.indices.filter { dropping.isEmpty || !dropping[$0] }
        precondition(!honest.isEmpty)
        var hopCounts: [Int: Int] = [:]
        var succeeded = 0
        var dropped = 0
        for _ in 0..<count {
            let origin = honest[Int(random.below(UInt64(honest.count)))]
            guard let key = RingId(bytes: random.bytes(RingId.byteCount)) else { preconditionFailure("16 bytes") }
            switch lookup(from: origin, key: key, dropping: dropping) {
            case .reached(let peer, let hops) where peer == responsiblePeer(for: key):
                succeeded += 1
                hopCounts[hops, default: 0] += 1
            case .dropped:
                dropped += 1
            case .reached, .overHopLimit:
                break
            }
        }
        return Result(lookups: count, succeeded: succeeded, hopCounts: hopCounts, dropped: dropped, misrouted: count - succeeded - dropped)
    }

    /// Round(fraction · N) peers drawn without repeats (a partial Fisher-Yates shuffle), at
    /// most N - 1 so that one origin is left; empty when none drop.
    mutating func chooseDroppingPeers(fraction: Double) -> [Bool] {
        // Rounded half up by hand: `rounded()` would need libm, which the targets do not link.
        let count = min(Int(fraction * Double(peerIds.count) + 0.5), peerIds.count - 1)
        guard count > 0 else { return [] }
        var order = Array(peerIds.indices)
        var dropping = [Bool](repeating: false, count: peerIds.count)
        for position in 0..<count {
            let pick = position + Int(random.below(UInt64(order.count - position)))
            order.swapAt(position, pick)
            dropping[order[position]] = true
        }
        assert(dropping.filter { $0 }.count == count)
        return dropping
    }

    /// Rough bytes the tables hold: each ChordTable value, its three arrays' heap blocks (a
    /// 32-byte header and the elements), and the sorted Node-IDs. Allocator overhead aside.
    public var memoryBytesEstimate: Int {
        let arrayHeader = 32
        let idStride = MemoryLayout<RingId>.stride
        var bytes = tables.capacity * MemoryLayout<ChordTable>.stride + arrayHeader + peerIds.capacity * idStride + arrayHeader
        for table in tables {
            bytes += 3 * arrayHeader + (table.successors.capacity + table.predecessors.capacity) * idStride
            bytes += table.fingers.capacity * MemoryLayout<RingId?>.stride
        }
        return bytes
    }
}
