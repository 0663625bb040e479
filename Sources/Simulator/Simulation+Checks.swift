import Chord
import Node
import Reload
import Wire

// What a converged overlay looks like, checked against the sorted Node-IDs of the live nodes.
extension Simulation {
    public var liveIndices: [Int] { nodes.indices.filter { nodes[$0].alive } }

    /// The live nodes that belong in the ring: a node whose certificate the CA revoked is
    /// refused by every peer that installed the list, so it is no one's neighbor or replica.
    var sortedLive: [(id: NodeId, index: Int)] {
        return liveIndices.filter { !revokedNodes.contains($0) }.map { (nodes[$0].identity.nodeId, $0) }.sorted { $0.id < $1.id }
    }

    /// Problems with the ring: nodes not joined, wrong successors or predecessors (the first
    /// `count` of each, compared with the sorted live Node-IDs). Empty when the ring is right.
    public func ringProblems(neighbors count: Int = 3) -> [String] {
        let sorted = sortedLive
        var problems: [String] = []
        for (position, entry) in sorted.enumerated() {
            let node = nodes[entry.index].node
            if node.phase != .joined {
                problems.append("node \(entry.index) is \(node.phase)")
                continue
            }
            let wanted = min(count, sorted.count - 1)
            guard wanted > 0 else { continue }
            let successors = (1...wanted).map { sorted[(position + $0) % sorted.count].id }
            let predecessors = (1...wanted).map { sorted[(position - $0 + sorted.count) % sorted.count].id }
            let status = node.status(now: time)
            if Array(status.successors.prefix(wanted)) != successors {
                problems.append("node \(entry.index): successors \(status.successors.map { $0.hex.prefix(6) }) want \(successors.map { $0.hex.prefix(6) })")
            }
            if Array(status.predecessors.prefix(wanted)) != predecessors {
                problems.append("node \(entry.index): predecessors \(status.predecessors.map { $0.hex.prefix(6) }) want \(predecessors.map { $0.hex.prefix(6) })")
            }
        }
        return problems
    }

    /// The live node responsible for `key` (§10.1): the first Node-ID at or after it.
    public func responsible(for key: [UInt8]) -> NodeId {
        let sorted = sortedLive.map { $0.id }
        let target = NodeId(bytes: key)!
        return sorted.first { !($0 < target) } ?? sorted[0]
    }

    /// Pings Resource-ID `key` from node `from` and runs until the answer (or failure).
    public func lookup(_ key: [UInt8], from index: Int, timeoutMilliseconds: UInt64 = 30_000) -> RequestResult? {
        let (handle, actions) = nodes[index].node.ping(.resource(ResourceId(bytes: key)!), now: time)
        perform(actions, by: index)
        run(milliseconds: timeoutMilliseconds) { self.nodes[index].completions[handle] != nil }
        return nodes[index].completions[handle]
    }

    public func randomKey() -> [UInt8] { random.bytes(16) }

    public func randomLiveIndex() -> Int {
        let live = liveIndices
        return live[Int(random.below(UInt64(live.count)))]
    }
}
