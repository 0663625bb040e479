import Chord
import Crypto
import Reload
import Wire

// Link events. A link is "up" once DTLS completed and the runner verified the peer's
// certificate chain; the Node-ID it proves is what the link is bound to (§6.5.1.11, §6.4.2.1:
// Join and Leave must arrive over the link bound to the node).
extension Topology {
    /// A link came up. `address` is the remote address; `inbound` when the other side opened it.
    mutating func linkUp(
        _ link: LinkId, nodeId peer: NodeId, userName: String, owner: String? = nil, address: IpAddressPort, inbound: Bool, now: NodeTime
    ) -> [TopologyAction] {
        let owner = owner ?? userName
        if isBanned(peer, owner: owner, now: now) {
            emit(.note(.banned))
            log(.info, "link from banned \(peer.hex) (\(userName)) closed")
            emit(.close(link))
            return taken()
        }
        // A new link (a restart, or a new handshake replacing the old link): routes that
        // failed through the old one are not charged to it.
        _ = misbehaviour.takeRouteFailures(of: peer)
        var (added, replaced) = links.add(link, nodeId: peer, userName: userName, owner: owner, now: now.monotonic)
        if !added, let idle = links.leastNeeded({ isNeeded($0) }) {
            // A full table makes room: the link least recently heard from among those to nodes
            // that are in neither the routing table nor a join or Attach under way (a joined
            // node's bootstrap link, an Attach that is over). Without this, the bootstrap
            // nodes' tables fill with the links of everyone who joined through them and no
            // one else can join.
            log(.info, "connection table full (\(links.capacity)): closing the idle link to \(links.nodeId(of: idle)?.hex ?? "?")")
            emit(.close(idle))
            linkWentDown(idle, now: now)
            (added, replaced) = links.add(link, nodeId: peer, userName: userName, owner: owner, now: now.monotonic)
        }
        guard added else {
            emit(.note(.overLimit))
            log(.warn, "connection table full (\(links.capacity)): link to \(peer.hex) closed")
            emit(.close(link))
            return taken()
        }
        if let replaced { emit(.close(replaced)) }
        log(.debug, "link \(link) up with \(peer.hex) (\(userName)) at \(address.text)\(inbound ? ", inbound" : "")")
        if phase == .bootstrapping && !inbound && address == currentBootstrapAddress {
            join.bootstrapLink = link
            sendBootstrapAttach()
        }
        if attaches.awaitingLink.removeValue(forKey: peer) != nil { attachCompleted(peer) }
        if attaches.sendUpdateOnLink.removeValue(forKey: peer) != nil { sendUpdate(to: peer, full: true, now: now) }
        return taken()
    }

    /// A node this one needs a link to: in the routing table (§10.7), or part of a join or an
    /// Attach under way.
    func isNeeded(_ peer: NodeId) -> Bool {
        if chord.contains(ring(peer)) { return true }
        if attaches.requested[peer] != nil || attaches.awaitingLink[peer] != nil || attaches.sendUpdateOnLink[peer] != nil { return true }
        if join.admittingPeer == peer || join.neighborsPending.contains(peer) { return true }
        if let bootstrap = join.bootstrapLink, links.nodeId(of: bootstrap) == peer, phase != .joined { return true }
        return false
    }

    /// A link failed (Simple Reliability gave up, §6.6.3.1) or was closed.
    mutating func linkDown(_ link: LinkId, now: NodeTime) -> [TopologyAction] {
        linkWentDown(link, now: now)
        return taken()
    }

    /// No answer to five pings (§10.7.1): the neighbor is gone even if its link looks up.
    mutating func neighborUnresponsive(_ neighbor: NodeId, now: NodeTime) -> [TopologyAction] {
        if let link = links.link(to: neighbor) {
            log(.info, "neighbor \(neighbor.hex) does not answer: closing its link")
            emit(.close(link))
            linkWentDown(link, now: now)
        }
        return taken()
    }

    mutating func linkWentDown(_ link: LinkId, now: NodeTime) {
        guard let entry = links.remove(link) else { return }
        let peer = entry.nodeId
        let change = chord.remove(ring(peer))
        _ = misbehaviour.takeRouteFailures(of: peer)  // silent until its link failed: not charged
        if change.neighbors { log(.info, "lost neighbor \(peer.hex)") }
        attaches.awaitingLink[peer] = nil
        attaches.sendUpdateOnLink[peer] = nil
        if join.neighborsPending.remove(peer) != nil { maybeSendJoin() }
        if join.bootstrapLink == link && phase != .joined {
            join.bootstrapLink = nil
            if phase == .bootstrapping { tryNextBootstrap(now: now) }
        }
        if phase == .joined {
            // §10.7.1: replace and tell everyone at once (reactive recovery).
            if change.any && configuration.reactiveRecovery { scheduleUpdateFlush(now: now) }
            if links.count == 0 && !otherBootstrapAddresses.isEmpty {
                log(.warn, "no links left: joining again")
                restartJoin(now: now)
            }
        }
    }

    /// A `.connect` the runner could not complete (no answer, handshake or certificate refused).
    mutating func connectFailed(address: IpAddressPort, expectedNodeId: NodeId?, now: NodeTime) -> [TopologyAction] {
        if let peer = expectedNodeId {
            attaches.sendUpdateOnLink[peer] = nil
            if join.neighborsPending.remove(peer) != nil { maybeSendJoin() }
        }
        if phase == .bootstrapping && address == currentBootstrapAddress && join.bootstrapLink == nil {
            log(.info, "bootstrap node \(address.text) unreachable")
            tryNextBootstrap(now: now)
        }
        return taken()
    }
}
