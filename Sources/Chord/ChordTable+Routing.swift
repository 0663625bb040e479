/// Responsibility, next hop and replicas (RFC 6940 §10.1, §10.3, §10.4, §10.7.3).
extension ChordTable {
    public enum NextHop: Equatable, Sendable {
        /// This peer is responsible: process the request here.
        case local
        /// Forward to this peer.
        case peer(RingId)
    }

    /// §10.1: x is responsible for k iff p < k <= x, with p its nearest predecessor. A peer that
    /// knows no predecessor is alone (or not yet joined) and answers for the whole ring.
    public func isResponsible(for key: RingId) -> Bool {
        guard let predecessor = predecessors.first else { return true }
        return key.isBetween(after: predecessor, upTo: selfId)
    }

    /// §10.3: directly connected node k → k; else the routing table peer with the largest
    /// Node-ID in (self, k); else the peer with the smallest Node-ID greater than k.
    ///
    /// `avoiding`: peers a request already went to without an answer that passed the checks
    /// (§6.3.4: "the request [is] retransmitted"); the next best peer in (self, k) is taken
    /// instead, so that a retransmission takes another path. When every candidate is to be
    /// avoided, the rule applies as if none were.
    public func nextHop(toward key: RingId, avoiding: [RingId] = [], isDirectlyConnected: (RingId) -> Bool) -> NextHop {
        if isResponsible(for: key) { return .local }
        if key != selfId && isDirectlyConnected(key) { return .peer(key) }
        let peers = routingPeers
        guard !peers.isEmpty else { return .local }
        var best: RingId? = nil
        var bestAvoided: RingId? = nil
        for peer in peers where peer.isStrictlyBetween(selfId, key) {
            if avoiding.contains(peer) {
                if bestAvoided == nil || selfId.distance(to: peer) > selfId.distance(to: bestAvoided!) { bestAvoided = peer }
            } else if best == nil || selfId.distance(to: peer) > selfId.distance(to: best!) {
                best = peer
            }
        }
        if let best = best ?? bestAvoided { return .peer(best) }
        if let best { return .peer(best) }
        var after = peers[0]
        for peer in peers where key.distance(to: peer) < key.distance(to: after) { after = peer }
        return .peer(after)
    }

    /// The neighbor responsible for `key` (§10.1) when our neighbor table tells exactly: the
    /// key lies between our farthest predecessor and our farthest successor, where each
    /// neighbor's range (its predecessor in our table, itself] is known. Nil when the key is
    /// ours, or outside that span (only a finger or a guess could name the node there).
    public func responsibleNeighbor(for key: RingId) -> RingId? {
        guard !isResponsible(for: key) else { return nil }
        var previous = selfId
        for successor in successors {
            if key.isBetween(after: previous, upTo: successor) { return successor }
            previous = successor
        }
        var next = predecessors.first ?? selfId
        for predecessor in predecessors.dropFirst() {
            if key.isBetween(after: predecessor, upTo: next) { return next }
            next = predecessor
        }
        return nil
    }

    /// The mean distance between the peers around us (predecessors to successors), an
    /// estimate of the ring's spacing near any key; nil without neighbors.
    public var meanSpacing: UInt128? {
        guard let first = predecessors.last ?? successors.first.map({ _ in selfId }), let last = successors.last else { return nil }
        let gaps = predecessors.count + successors.count
        guard gaps > 0 else { return nil }
        return max(1, first.distance(to: last) / UInt128(gaps))
    }

    /// RFC 6940 §6.3.4, check 2: "The response to a message sent to a Resource-ID MUST have
    /// been sent by a Node-ID which is at least as close to the target Resource-ID as any node
    /// in the requesting node's Neighbor Table." In CHORD-RELOAD the responsible peer is the
    /// first at or after k (§10.1), so closeness is the clockwise distance from k to the node:
    /// a forwarder precedes k on every path (§10.3) and is as far as the ring allows, while the
    /// responsible peer is at most as far as any neighbor we know. Any of the signer's Node-IDs
    /// may qualify; with no neighbors (alone, joining) every responder does.
    public func isPlausibleResponder(_ responderIds: [RingId], for key: RingId) -> Bool {
        let known = neighbors
        guard let nearest = known.map({ key.distance(to: $0) }).min() else { return true }
        return responderIds.contains { key.distance(to: $0) <= nearest }
    }

    /// Whether any of `ids` lies strictly between us and `key` (clockwise): where §10.3 routes
    /// a request for the key, so a node there can only be a forwarder, never the key's
    /// responsible node (the first at or after it, §10.1).
    public func isBeforeKey(_ ids: [RingId], _ key: RingId) -> Bool {
        return ids.contains { $0.isStrictlyBetween(selfId, key) }
    }

    /// §10.4: the responsible peer stores, then sends replicas to its successor and that
    /// successor's successor; with replication factor r, the first r - 1 successors.
    public func replicaTargets(replicationFactor: Int) -> [RingId] {
        precondition(replicationFactor >= 1)
        return Array(successors.prefix(replicationFactor - 1))
    }

    /// Whether a Store with a nonzero replica_number from `sender` for `resource` is plausible
    /// (§7.4.1.1: "the request sender is consistent with being the responsible node"; §10.4:
    /// "The peers receiving these SHOULD check that they came from an appropriate predecessor
    /// in their Neighbor Table and that they are in a range that this predecessor is
    /// responsible for"). Such a Store is a copy of records this peer holds: replicas from the
    /// responsible peer (§10.4) and hand-offs when the ring changes (§10.7.3), so the sender is
    /// one of our first r - 1 predecessors or successors (the peers that hold records we hold)
    /// and the resource lies in (our r-th predecessor, self]. A predecessor's range is wider
    /// than we know right after the peers between us died: it learns that first (its link
    /// fails, our Updates come later), so any resource we hold is taken from it. With fewer
    /// than r predecessors known, every resource may be ours. Such Stores carry the values' own
    /// signatures, which the values' signers' policy checks (§7.3).
    public func isPlausibleReplicaSender(_ sender: RingId, resource: RingId, replicationFactor: Int) -> Bool {
        precondition(replicationFactor >= 1)
        let near = replicationFactor - 1
        guard predecessors.prefix(near).contains(sender) || successors.prefix(near).contains(sender) else { return false }
        return predecessors.count < replicationFactor || resource.isBetween(after: predecessors[near], upTo: selfId)
    }

    /// §10.7.3: a peer is no longer in the replica set of R when r predecessors lie in [R, x)
    /// (RFC: "there are three predecessors between x and R"); it SHOULD then drop R's data.
    public func isOutsideReplicaSet(_ resource: RingId, replicationFactor: Int) -> Bool {
        let span = resource.distance(to: selfId)
        var between = 0
        for predecessor in predecessors where resource.distance(to: predecessor) < span {
            between += 1
        }
        return between >= replicationFactor
    }
}
