import Chord
import Crypto
import Reload
import Wire

// Keeping the ring right (RFC 6940 §10.7): Updates on change (reactive) and periodically with
// jitter, connectivity pings, finger refresh, and the join's and the Attaches' timeouts. The
// node runs the steps of `tick` in order; a step that sends asks the next deadline to be set
// after its requests went out (`…Sent`, `…Done`), as its jitter is drawn after them.
extension Topology {
    /// The first Updates, pings and finger search once in the ring (§10.5); storage and
    /// certificate duties start with `.joined`.
    mutating func startMaintenance(now: NodeTime) {
        let update = configuration.updateIntervalMilliseconds
        maintenance.nextUpdate = now.monotonic.adding(milliseconds: update / 2 + jitter(update / 2))
        // The first finger search soon after joining (§10.5), then every chord-ping-interval.
        maintenance.nextFingerRefresh = now.monotonic.adding(milliseconds: 1000 + jitter(1000))
        maintenance.nextLivenessCheck = now.monotonic.adding(milliseconds: configuration.livenessIntervalMilliseconds / 2 + jitter(1000))
        emit(.joined)
    }

    /// A join that did not complete in time starts over, a join waiting for its backoff
    /// starts again, and answered Attaches whose link never came are forgotten.
    mutating func joinTimers(now: NodeTime) -> [TopologyAction] {
        if let deadline = join.deadline, deadline <= now.monotonic, phase != .joined && phase != .stopped {
            log(.warn, "join did not complete in \(configuration.joinTimeoutMilliseconds) ms: starting over")
            join.bootstrapIndex += 1
            restartJoin(now: now)
        }
        if let retry = join.retryAt, retry <= now.monotonic {
            join.retryAt = nil
            // The join may have moved on meanwhile (a connect to a bootstrap node from before
            // the failure came up): only a node still waiting starts again. Left set, a past
            // retryAt would be the next deadline forever and the node would spin.
            if phase == .bootstrapping { restartJoin(now: now) }
        }
        for (peer, deadline) in attaches.awaitingLink where deadline <= now.monotonic {
            attaches.awaitingLink[peer] = nil
            // The Attach was answered but its link never came: it may be tried again when an
            // Update names the peer once more.
            attaches.requested[peer] = nil
            if join.neighborsPending.remove(peer) != nil { maybeSendJoin() }
        }
        for (peer, deadline) in attaches.sendUpdateOnLink where deadline <= now.monotonic {
            attaches.sendUpdateOnLink[peer] = nil
        }
        return taken()
    }

    /// §10.7.3 reactive recovery: "send an Update request to each member of its Connection
    /// Table", once for the changes since the last flush.
    mutating func flushUpdates(now: NodeTime) -> [TopologyAction] {
        guard phase == .joined, let flush = maintenance.updateFlush, flush <= now.monotonic else { return [] }
        maintenance.updateFlush = nil
        for link in links.allLinks {
            if let peer = links.nodeId(of: link) { sendUpdate(to: peer, full: false, now: now) }
        }
        return taken()
    }

    /// §10.7.4.1: the periodic Updates to every neighbor when they are due, else nil; then
    /// `periodicUpdatesSent`.
    mutating func periodicUpdates(now: NodeTime) -> [TopologyAction]? {
        guard phase == .joined, let next = maintenance.nextUpdate, next <= now.monotonic else { return nil }
        for peer in chord.neighbors { sendUpdate(to: nodeId(peer), full: false, now: now) }
        return taken()
    }

    /// The next periodic Updates, offset at random ("randomly offset these Update requests").
    mutating func periodicUpdatesSent(now: NodeTime) {
        let interval = configuration.updateIntervalMilliseconds
        maintenance.nextUpdate = now.monotonic.adding(milliseconds: interval * 3 / 4 + jitter(interval / 2))
    }

    /// §10.7.1: when the look for silent neighbors is due, pings to the neighbors we have not
    /// heard from lately (`pinging`: one is under way already), else nil; the link layer sees
    /// whether the ping is acknowledged, and the ping's own retransmissions bound the wait.
    /// Then `retryCandidates` and `livenessChecked`.
    func livenessPings(now: NodeTime, pinging: (NodeId) -> Bool) -> [TopologyAction]? {
        guard phase == .joined, let next = maintenance.nextLivenessCheck, next <= now.monotonic else { return nil }
        var pings: [TopologyAction] = []
        for peer in chord.neighbors {
            let neighbor = nodeId(peer)
            guard let link = links.link(to: neighbor), let entry = links.entries[link] else { continue }
            let silent = now.monotonic.milliseconds(since: entry.lastHeard) >= configuration.livenessIntervalMilliseconds
            if silent && !pinging(neighbor) {
                pings.append(.request(TopologyRequest(destination: [.node(neighbor)], body: .pingRequest(PingReq()), purpose: .liveness(neighbor))))
            }
        }
        return pings
    }

    /// The candidates still wanted and not linked get another Attach; linked ones take their
    /// slot; the rest are forgotten.
    mutating func retryCandidates(now: NodeTime) -> [TopologyAction] {
        for (candidate, left) in attaches.retry {
            if links.isPeer(candidate) {
                if admit(candidate).any { scheduleUpdateFlush(now: now) }
                attaches.retry[candidate] = nil
            } else if left > 0 && wantsNeighbor(candidate) {
                attach(to: candidate, through: nil, now: now)
                attaches.retry[candidate] = left - 1
            } else if attaches.requested[candidate] == nil {
                attaches.retry[candidate] = nil
            }
        }
        return taken()
    }

    mutating func livenessChecked(now: NodeTime) {
        maintenance.nextLivenessCheck = now.monotonic.adding(milliseconds: configuration.livenessIntervalMilliseconds / 2 + jitter(1000))
    }

    /// §10.7.4.2, alternative 1: walk the empty fingers from i = 1 and search each with
    /// probability 1/2 (favouring the far fingers), Attaching to a point of its range; at most
    /// `fingerAttachesPerRefresh` at a time.
    struct FingerRefresh {
        var remaining: [Int]
        var started = 0
    }

    static var fingerAttachesPerRefresh: Int { 4 }

    /// The refresh when it is due, else nil; take its Attaches with `nextFingerAttach`, then
    /// `fingersRefreshed`.
    func fingerRefresh(now: NodeTime) -> FingerRefresh? {
        guard phase == .joined, let next = maintenance.nextFingerRefresh, next <= now.monotonic else { return nil }
        return FingerRefresh(remaining: chord.emptyFingers)
    }

    /// The next finger Attach of `refresh` (`inFlight`: one for that finger is under way), or
    /// nil when the refresh is done. One at a time: each coin is tossed after the last Attach
    /// went out.
    func nextFingerAttach(_ refresh: inout FingerRefresh, inFlight: (Int) -> Bool) -> TopologyRequest? {
        while refresh.started < Topology.fingerAttachesPerRefresh, !refresh.remaining.isEmpty {
            let index = refresh.remaining.removeFirst()
            guard (try? random.uniform(below: 2)) == 1, !inFlight(index) else { continue }
            refresh.started += 1
            let target = chord.fingerTarget(index)
            let attach = AttachReqAns(ufrag: [], password: [], role: Array("passive".utf8), candidates: candidates, sendUpdate: true)
            return TopologyRequest(destination: [.resource(ResourceId(bytes: target.bytes)!)], body: .attachRequest(attach), purpose: .fingerAttach(index: index))
        }
        return nil
    }

    mutating func fingersRefreshed(now: NodeTime) {
        let interval = configuration.fingerRefreshIntervalMilliseconds
        maintenance.nextFingerRefresh = now.monotonic.adding(milliseconds: interval * 3 / 4 + jitter(interval / 2))
    }
}
