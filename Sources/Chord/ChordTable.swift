/// The routing state of one CHORD-RELOAD peer (RFC 6940 §10): the Neighbor Table (successors
/// and predecessors, nearest first) and the Finger Table, each of a fixed size from the board
/// configuration. Pure: the Node decides when to Attach, Update or Ping; this table answers
/// who is responsible, where a message goes next, and which peers hold replicas.
///
/// Peers enter with `add` after a successful Attach (§10.5 step 4: only contacted peers) and
/// leave with `remove` on failure or Leave (§10.7.1). The table never holds more peers than
/// successors + predecessors + fingers, and never itself (§10.7.3).
///
/// Sybil limit (RFC 6940 §13.6.1-§13.6.2: a user who registers many nodes captures traffic;
/// the enrollment server caps Node-IDs per user, and this caps what they get here): each
/// peer may have an owner, the user its certificate names (or, for a self-signed one, its
/// key). At most `slotsPerOwner` distinct peers of one owner are in the neighbor set
/// (successors and predecessors together), and at most `slotsPerOwner` in the finger table;
/// a neighbor list then takes the next nearest peer of another owner, a finger another peer
/// in its range. With `slotsPerOwner` ≥ 2 the nearest successor and predecessor are always
/// the true ones (they are chosen first), so responsibility (§10.1) does not depend on it.
public struct ChordTable: Sendable {
    public let selfId: RingId
    public let successorCapacity: Int
    public let predecessorCapacity: Int
    public let fingerCount: Int
    /// Neighbor entries, and apart finger entries, one owner's peers may take.
    public let slotsPerOwner: Int
    /// The owner of each peer in the table that has one (pruned to the table's peers).
    public private(set) var owners: [RingId: String] = [:]

    /// Nearest first, clockwise from self.
    public private(set) var successors: [RingId] = []
    /// Nearest first, counter-clockwise from self.
    public private(set) var predecessors: [RingId] = []
    /// fingers[i - 1] is finger i of §10.7.4.2, or nil when no peer is known in its range.
    public private(set) var fingers: [RingId?]

    /// RFC 6940 §10.7.4.3: an implementation SHOULD be able to grow to 128 fingers.
    public static let maximumFingers = 128

    /// Fewest `slotsPerOwner`: the nearest successor and predecessor may be one owner's.
    public static let minimumSlotsPerOwner = 2

    /// `slotsPerOwner`: Int.max for no Sybil limit (tables built without owners).
    public init(selfId: RingId, successors: Int, predecessors: Int, fingers: Int, slotsPerOwner: Int = Int.max) {
        precondition(successors >= 1 && predecessors >= 1)
        precondition(fingers >= 1 && fingers <= ChordTable.maximumFingers)
        precondition(slotsPerOwner >= ChordTable.minimumSlotsPerOwner)
        self.selfId = selfId
        successorCapacity = successors
        predecessorCapacity = predecessors
        fingerCount = fingers
        self.slotsPerOwner = slotsPerOwner
        self.fingers = [RingId?](repeating: nil, count: fingers)
    }

    /// What an `add` or `remove` changed, so the Node knows whom to Update (§10.7.3) and
    /// whether to move replicas.
    public struct Change: Equatable, Sendable {
        public var neighbors = false
        public var fingers = false
        /// The nearest predecessor changed: the range this peer is responsible for changed
        /// ("it MUST send an Update to all entries in its Connection Table").
        public var responsibleRange = false

        public init() {}

        public var any: Bool { neighbors || fingers || responsibleRange }
    }

    /// The Routing Table of §10.3: every distinct peer in the neighbor and finger tables.
    public var routingPeers: [RingId] {
        var peers: [RingId] = []
        peers.reserveCapacity(successors.count + predecessors.count + fingerCount)
        func insert(_ peer: RingId) { if !peers.contains(peer) { peers.append(peer) } }
        for peer in successors { insert(peer) }
        for peer in predecessors { insert(peer) }
        for case let peer? in fingers { insert(peer) }
        return peers
    }

    /// The neighbor set (successors and predecessors, without repeats).
    public var neighbors: [RingId] {
        var peers = successors
        for peer in predecessors where !peers.contains(peer) { peers.append(peer) }
        return peers
    }

    public func contains(_ peer: RingId) -> Bool {
        return successors.contains(peer) || predecessors.contains(peer) || fingers.contains(peer)
    }

    /// Finger i (1-based) covers [x + 2^(128-i), x + 2^(128-(i-1)) - 1] (§10.7.4.2).
    public func fingerRange(_ index: Int) -> (start: RingId, end: RingId) {
        precondition(index >= 1 && index <= fingerCount)
        let start = selfId.adding(powerOfTwo: 128 - index)
        let end = index == 1 ? RingId(selfId.value &- 1) : selfId.adding(powerOfTwo: 129 - index).adding(UInt128.max)
        return (start, end)
    }

    /// The Node-ID an Attach for finger i is routed to (§10.5: n + 2^(128-i)).
    public func fingerTarget(_ index: Int) -> RingId {
        return fingerRange(index).start
    }

    func isInFingerRange(_ peer: RingId, _ index: Int) -> Bool {
        let (start, end) = fingerRange(index)
        return start.distance(to: peer) <= start.distance(to: end)
    }

    /// Finger indices (1-based) with no peer: candidates for refresh (§10.7.4.2).
    public var emptyFingers: [Int] {
        var empty: [Int] = []
        for index in 1...fingerCount where fingers[index - 1] == nil { empty.append(index) }
        return empty
    }

    /// Adds a peer that this peer has successfully attached to. `owner`: the user its link's
    /// certificate names (self-signed: its key); nil counts toward no owner's limit. A peer
    /// over its owner's limit everywhere does not enter (the Change says so).
    public mutating func add(_ peer: RingId, owner: String? = nil) -> Change {
        guard peer != selfId else { return Change() }
        var candidates = routingPeers
        if !candidates.contains(peer) { candidates.append(peer) }
        owners[peer] = owner
        return rebuild(from: candidates)
    }

    /// Removes a failed or leaving peer from every table; the gaps are filled from the other
    /// peers the table knows (§10.7.1, §10.7.2).
    public mutating func remove(_ peer: RingId) -> Change {
        guard contains(peer) else { return Change() }
        return rebuild(from: routingPeers.filter { $0 != peer })
    }

    mutating func rebuild(from candidates: [RingId]) -> Change {
        let oldSuccessors = successors
        let oldPredecessors = predecessors
        let oldFingers = fingers
        let clockwise = candidates.map { (distance: selfId.distance(to: $0), peer: $0) }
            .sorted { $0.distance < $1.distance }.map { $0.peer }
        chooseNeighbors(clockwise)
        chooseFingers(clockwise)
        owners = owners.filter { contains($0.key) }
        var change = Change()
        change.neighbors = successors != oldSuccessors || predecessors != oldPredecessors
        change.fingers = fingers != oldFingers
        change.responsibleRange = predecessors.first != oldPredecessors.first
        return change
    }
}

// The Sybil limit's choices (see ChordTable).
extension ChordTable {
    /// Whether `peer` may take one more entry of a set that `counts` counts per owner; counts it.
    func admits(_ peer: RingId, _ counts: inout [String: Int]) -> Bool {
        guard let owner = owners[peer] else { return true }
        let taken = counts[owner, default: 0]
        if taken >= slotsPerOwner { return false }
        counts[owner] = taken + 1
        return true
    }

    /// Successors clockwise and predecessors counter-clockwise, nearest first, taken in turn
    /// (successor 1, predecessor 1, successor 2, ...) so that one owner's limit falls on the
    /// farther entries of both lists. A peer in both lists (a small ring) counts once. Without
    /// owners these are the nearest peers of each direction, as §10.7 has them.
    mutating func chooseNeighbors(_ clockwise: [RingId]) {
        var chosenSuccessors: [RingId] = []
        var chosenPredecessors: [RingId] = []
        var counts: [String: Int] = [:]
        var next = 0
        var previous = clockwise.count - 1
        while (chosenSuccessors.count < successorCapacity && next < clockwise.count)
            || (chosenPredecessors.count < predecessorCapacity && previous >= 0)
        {
            if chosenSuccessors.count < successorCapacity && next < clockwise.count {
                let peer = clockwise[next]
                next += 1
                if chosenPredecessors.contains(peer) || admits(peer, &counts) { chosenSuccessors.append(peer) }
            }
            if chosenPredecessors.count < predecessorCapacity && previous >= 0 {
                let peer = clockwise[previous]
                previous -= 1
                if chosenSuccessors.contains(peer) || admits(peer, &counts) { chosenPredecessors.append(peer) }
            }
        }
        successors = chosenSuccessors
        predecessors = chosenPredecessors
    }

    /// A finger keeps its peer while that peer is a candidate and within its owner's limit
    /// (fingers in index order); an empty slot takes the candidate nearest the start of its
    /// range whose owner has room: deterministic, and without limit the one a Ping to the
    /// range start would find (§10.7.4.2).
    mutating func chooseFingers(_ clockwise: [RingId]) {
        var counts: [String: Int] = [:]
        var chosen = [RingId?](repeating: nil, count: fingerCount)
        for index in 1...fingerCount {
            if let current = fingers[index - 1], clockwise.contains(current), admits(current, &counts) { chosen[index - 1] = current }
        }
        for index in 1...fingerCount where chosen[index - 1] == nil {
            for peer in clockwise where isInFingerRange(peer, index) {
                if admits(peer, &counts) {
                    chosen[index - 1] = peer
                    break
                }
            }
        }
        fingers = chosen
    }
}
