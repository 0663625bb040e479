/// The routing state of one CHORD-RELOAD peer (RFC 6940 §10): the Neighbor Table (successors
/// and predecessors, nearest first) and the Finger Table, each of a fixed size from the board
/// configuration. Pure: the Node decides when to Attach, Update or Ping; this table answers
/// who is responsible, where a message goes next, and which peers hold replicas.
///
/// Peers enter with `add` after a successful Attach (§10.5 step 4: only contacted peers) and
/// leave with `remove` on failure or Leave (§10.7.1). The table never holds more peers than
/// successors + predecessors + fingers, and never itself (§10.7.3).
public struct ChordTable: Sendable {
    public let selfId: RingId
    public let successorCapacity: Int
    public let predecessorCapacity: Int
    public let fingerCount: Int

    /// Nearest first, clockwise from self.
    public private(set) var successors: [RingId] = []
    /// Nearest first, counter-clockwise from self.
    public private(set) var predecessors: [RingId] = []
    /// fingers[i - 1] is finger i of §10.7.4.2, or nil when no peer is known in its range.
    public private(set) var fingers: [RingId?]

    /// RFC 6940 §10.7.4.3: an implementation SHOULD be able to grow to 128 fingers.
    public static let maximumFingers = 128

    public init(selfId: RingId, successors: Int, predecessors: Int, fingers: Int) {
        precondition(successors >= 1 && predecessors >= 1)
        precondition(fingers >= 1 && fingers <= ChordTable.maximumFingers)
        self.selfId = selfId
        successorCapacity = successors
        predecessorCapacity = predecessors
        fingerCount = fingers
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

    /// Adds a peer that this peer has successfully attached to.
    public mutating func add(_ peer: RingId) -> Change {
        guard peer != selfId else { return Change() }
        var candidates = routingPeers
        if !candidates.contains(peer) { candidates.append(peer) }
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
        successors = Array(clockwise.prefix(successorCapacity))
        predecessors = Array(clockwise.reversed().prefix(predecessorCapacity))
        for index in 1...fingerCount {
            if let current = fingers[index - 1], candidates.contains(current) { continue }
            // The peer nearest the start of the range: deterministic, and the one a Ping to
            // the range start would find.
            fingers[index - 1] = clockwise.first { isInFingerRange($0, index) }
        }
        var change = Change()
        change.neighbors = successors != oldSuccessors || predecessors != oldPredecessors
        change.fingers = fingers != oldFingers
        change.responsibleRange = predecessors.first != oldPredecessors.first
        return change
    }
}
