import Chord
import Crypto
import Reload
import Wire

// Link events from the runner. A link is "up" once DTLS completed and the runner verified
// the peer's certificate chain; the Node-ID it proves is what the link is bound to (§6.5.1.11,
// §6.4.2.1: Join and Leave must arrive over the link bound to the node).
extension OverlayNode {
    /// A link came up. `address` is the remote address; `inbound` when the other side opened it.
    public func linkUp(
        _ link: LinkId, nodeId peer: NodeId, userName: String, address: IpAddressPort, inbound: Bool, now: NodeTime
    ) -> [NodeAction] {
        let (added, replaced) = links.add(link, nodeId: peer, userName: userName, now: now.monotonic)
        guard added else {
            counters.droppedOverLimit += 1
            log(.warn, "connection table full (\(links.capacity)): link to \(peer.hex) closed")
            outbox.append(.close(link: link))
            return drain()
        }
        if let replaced { outbox.append(.close(link: replaced)) }
        log(.debug, "link \(link) up with \(peer.hex) (\(userName)) at \(address.text)\(inbound ? ", inbound" : "")")
        if phase == .bootstrapping && !inbound && address == currentBootstrapAddress {
            join.bootstrapLink = link
            sendBootstrapAttach(now: now)
        }
        if attaches.awaitingLink.removeValue(forKey: peer) != nil { attachCompleted(peer, now: now) }
        if attaches.sendUpdateOnLink.removeValue(forKey: peer) != nil { sendUpdate(to: peer, full: true, now: now) }
        return drain()
    }

    /// A link failed (Simple Reliability gave up, §6.6.3.1) or was closed.
    public func linkDown(_ link: LinkId, now: NodeTime) -> [NodeAction] {
        linkWentDown(link, now: now)
        return drain()
    }

    func linkWentDown(_ link: LinkId, now: NodeTime) {
        guard let entry = links.remove(link) else { return }
        let peer = entry.nodeId
        let change = chord.remove(ring(peer))
        if change.neighbors { log(.info, "lost neighbor \(peer.hex)") }
        attaches.awaitingLink[peer] = nil
        attaches.sendUpdateOnLink[peer] = nil
        if join.neighborsPending.remove(peer) != nil { maybeSendJoin(now: now) }
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
    public func connectFailed(address: IpAddressPort, expectedNodeId: NodeId?, now: NodeTime) -> [NodeAction] {
        if let peer = expectedNodeId {
            attaches.sendUpdateOnLink[peer] = nil
            if join.neighborsPending.remove(peer) != nil { maybeSendJoin(now: now) }
        }
        if phase == .bootstrapping && address == currentBootstrapAddress && join.bootstrapLink == nil {
            log(.info, "bootstrap node \(address.text) unreachable")
            tryNextBootstrap(now: now)
        }
        return drain()
    }

    /// The link to `peer`, if any: for the runner's status.
    public func link(to peer: NodeId) -> LinkId? { links.link(to: peer) }
}
