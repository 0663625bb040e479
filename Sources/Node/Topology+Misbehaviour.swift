import Chord
import Reload
import Wire

// Bans in the topology (Misbehaviour): a banned Node-ID, or any Node-ID of a banned user, loses
// its links at once, cannot link again until the ban is over, and so is neither in the routing
// table nor a hop of any route (the table only holds linked peers, §10.7).
extension Topology {
    /// Charges `offence` to `peer` (and `user`; for a linked peer, its link's owner when no
    /// user is given); a ban closes every link it covers.
    mutating func charge(_ peer: NodeId, user: String? = nil, _ offence: Misbehaviour.Offence, now: NodeTime) -> [TopologyAction] {
        let user = user ?? links.owner(of: peer)
        guard let ban = misbehaviour.charge(peer, user: user, offence, now: now.monotonic) else { return taken() }
        let minutes = configuration.misbehaviour.banMilliseconds / 60_000
        switch ban {
        case .node(let node): log(.warn, "banned \(node.hex) for \(minutes) min after: \(offence.name)")
        case .user(let name): log(.warn, "banned every node of user \(name) for \(minutes) min after: \(offence.name)")
        }
        for link in links.allLinks {
            guard let entry = links.entries[link] else { continue }
            let covered: Bool
            switch ban {
            case .node(let node): covered = entry.nodeId == node
            case .user(let name): covered = entry.owner == name
            }
            if covered {
                emit(.close(link))
                linkWentDown(link, now: now)
            }
        }
        return taken()
    }

    /// A request routed through the linked first hop `peer` got no answer there, and another
    /// path answered. Charged once `peer` is heard from again (`heard`): a peer that died in
    /// the meantime is silent, loses its link and is not charged (charged, a peer killed under
    /// load would be banned by the time it restarts, and could not link again).
    mutating func routeFailed(through peer: NodeId) {
        if links.link(to: peer) != nil { misbehaviour.routeFailed(through: peer) }
    }

    /// A message came on `link`: its peer is alive (§10.7.1), and is charged the failed routes
    /// through it.
    mutating func heard(_ link: LinkId, now: NodeTime) -> [TopologyAction] {
        links.heard(link, now: now.monotonic)
        guard let peer = links.nodeId(of: link) else { return [] }
        var actions: [TopologyAction] = []
        for _ in 0..<misbehaviour.takeRouteFailures(of: peer) where links.link(to: peer) != nil {
            actions += charge(peer, .routeFailed, now: now)
        }
        return actions
    }

    /// An answer came back through the first hop `peer`.
    mutating func routeAnswered(through peer: NodeId, now: NodeTime) {
        misbehaviour.credit(peer, now: now.monotonic)
    }

    func isBanned(_ peer: NodeId, owner: String?, now: NodeTime) -> Bool {
        return misbehaviour.isBanned(peer, user: owner, now: now.monotonic)
    }
}
