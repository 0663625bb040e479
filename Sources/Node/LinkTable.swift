import Chord
import Crypto
import Reload
import Wire

/// The Node's view of its Connection Table (RFC 6940 §6.5.1): every established link with the
/// Node-ID its certificate proved, and whether that node is a peer we may route through
/// (only after it sent an Update, §6.5.1: "MUST NOT route messages through B ... before
/// Updates"). Bounded by the board's max-links.
struct LinkTable {
    struct Entry {
        let link: LinkId
        let nodeId: NodeId
        let userName: String
        /// Whose node it is for the routing table's Sybil limit (§13.6.1): the user name, or
        /// for a self-signed certificate its key (`AuthenticatedPeer.owner`).
        let owner: String
        let since: Instant
        /// The peer sent us an Update: it is in the overlay and may be routed through.
        var isPeer = false
        var lastHeard: Instant
    }

    let capacity: Int
    private(set) var entries: [LinkId: Entry] = [:]
    private(set) var byNode: [NodeId: LinkId] = [:]

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// Adds a link; false when the table is full. A second link to the same node replaces the
    /// first in `byNode` (the newer link wins; the runner closes the old one).
    mutating func add(_ link: LinkId, nodeId: NodeId, userName: String, owner: String? = nil, now: Instant) -> (added: Bool, replaced: LinkId?) {
        if entries[link] != nil { return (true, nil) }
        if entries.count >= capacity { return (false, nil) }
        let previous = byNode[nodeId]
        entries[link] = Entry(link: link, nodeId: nodeId, userName: userName, owner: owner ?? userName, since: now, lastHeard: now)
        byNode[nodeId] = link
        if let previous { entries[previous] = nil }
        return (true, previous)
    }

    @discardableResult
    mutating func remove(_ link: LinkId) -> Entry? {
        guard let entry = entries.removeValue(forKey: link) else { return nil }
        if byNode[entry.nodeId] == link { byNode[entry.nodeId] = nil }
        return entry
    }

    func link(to nodeId: NodeId) -> LinkId? { byNode[nodeId] }

    func nodeId(of link: LinkId) -> NodeId? { entries[link]?.nodeId }

    /// The owner of the node's link (see `Entry.owner`); nil when it has none.
    func owner(of nodeId: NodeId) -> String? {
        guard let link = byNode[nodeId] else { return nil }
        return entries[link]?.owner
    }

    func isPeer(_ nodeId: NodeId) -> Bool {
        guard let link = byNode[nodeId] else { return false }
        return entries[link]?.isPeer ?? false
    }

    mutating func markPeer(_ link: LinkId) {
        entries[link]?.isPeer = true
    }

    /// The node left the overlay (§10.9): its link, until it closes, no longer vouches for it.
    mutating func markLeft(_ nodeId: NodeId) {
        guard let link = byNode[nodeId] else { return }
        entries[link]?.isPeer = false
    }

    mutating func heard(_ link: LinkId, now: Instant) {
        entries[link]?.lastHeard = now
    }

    var allLinks: [LinkId] { entries.keys.sorted() }

    /// The link to give up when the table is full: among the links to nodes `needed` does not
    /// want, the one heard from least recently (the smaller link id on a tie); nil when every
    /// link is needed.
    func leastNeeded(_ needed: (NodeId) -> Bool) -> LinkId? {
        var best: Entry? = nil
        for entry in entries.values where !needed(entry.nodeId) {
            if let current = best, (current.lastHeard, current.link) < (entry.lastHeard, entry.link) { continue }
            best = entry
        }
        return best?.link
    }
}
