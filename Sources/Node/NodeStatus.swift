import Chord
import Crypto
import Reload
import Storage
import Wire

/// A snapshot of a node for `p2psip status` (and the tests): who it is, its neighbors nearest
/// first, its fingers, its links and its counters.
public struct NodeStatus: Sendable {
    public struct Link: Sendable {
        public let link: LinkId
        public let nodeId: NodeId
        public let userName: String
        public let isPeer: Bool
        public let upMilliseconds: UInt64
    }

    public let nodeId: NodeId
    public let overlay: String
    public let phase: NodePhase
    public let uptimeSeconds: UInt32
    public let predecessors: [NodeId]
    public let successors: [NodeId]
    public let fingers: [NodeId]
    public let links: [Link]
    public let counters: NodeCounters
    public let pendingTransactions: Int
    /// What the record store holds (§7), replicas included.
    public let storedRecords: UInt64
    public let storedBytes: UInt64
    /// Hand-offs of records to neighbors queued or due (§10.7.3); 0 when storage has settled.
    public let pendingHandoffs: Int
    /// Misbehaviour scores at the time, and bans in force, highest first (Misbehaviour).
    public let misbehaviour: [Suspect]
    public let bansImposed: Int

    /// One Node-ID's or user's misbehaviour.
    public struct Suspect: Sendable, Equatable {
        /// A Node-ID in hex, or "user NAME".
        public let subject: String
        public let points: Int
        public let offences: Int
        /// How long the ban still lasts; 0 when not banned.
        public let bannedMilliseconds: UInt64
    }
    /// Message signatures verified in the last second, and the budget above which new
    /// requests from others are shed (board verify-budget-per-second).
    public let signaturesLastSecond: Int
    public let verificationsPerSecond: Int
}

extension OverlayNode {
    public func status(now: NodeTime) -> NodeStatus {
        var linkList: [NodeStatus.Link] = []
        let links = topology.links
        for link in links.allLinks {
            guard let entry = links.entries[link] else { continue }
            linkList.append(NodeStatus.Link(
                link: link, nodeId: entry.nodeId, userName: entry.userName, isPeer: entry.isPeer,
                upMilliseconds: now.monotonic.milliseconds(since: entry.since)))
        }
        return NodeStatus(
            nodeId: nodeId, overlay: configuration.overlayName, phase: phase, uptimeSeconds: topology.uptimeSeconds(now),
            predecessors: chord.predecessors.map { topology.nodeId($0) }, successors: chord.successors.map { topology.nodeId($0) },
            fingers: Set(chord.fingers.compactMap { $0 }).sorted().map { topology.nodeId($0) }, links: linkList,
            counters: counters, pendingTransactions: transactions.count,
            storedRecords: (try? records.totalUsage().records) ?? 0, storedBytes: (try? records.totalUsage().bytes) ?? 0,
            pendingHandoffs: replication.pendingHandoffs, misbehaviour: topology.misbehaviour.suspects(now: now.monotonic),
            bansImposed: topology.misbehaviour.bansImposed, signaturesLastSecond: admission.signatureLoad.perSecond(now: now.monotonic),
            verificationsPerSecond: admission.verificationsPerSecond)
    }
}
