import Chord
import Crypto
import Node
import Wire

// Revocations (the scenario's `revocations`): at each time the CA revokes that many more
// peers (attackers first) and publishes a CRL of every revoked certificate; each peer installs
// it within the fetch window. A revoked peer keeps running: it is "cut off" once no live
// honest peer has it in its routing table or holds a link to it.
extension ScenarioRun {
    func revoke(_ number: Int) throws(CryptoError) {
        let wanted = scenario.revocations[number].peers
        let already = Set(revoked.map { $0.peer })
        var chosen = attackers.sorted().filter { !already.contains($0) && simulation.nodes.count > $0 }
        var honest = Array(ScenarioRun.bootstrapCount..<simulation.nodes.count).filter { !attackers.contains($0) && !already.contains($0) }
        while chosen.count < wanted && !honest.isEmpty {
            chosen.append(honest.remove(at: Int(random.below(UInt64(honest.count)))))
        }
        chosen = Array(chosen.prefix(wanted))
        for peer in chosen {
            revoked.append((peer, simulation.now, nil))
            simulation.revokedNodes.insert(peer)
        }
        var serials: [[UInt8]] = []
        for entry in revoked {
            serials.append(try Certificate(der: simulation.nodes[entry.peer].identity.certificateChain[0]).serialNumber)
        }
        revocationLists.append(try simulation.pki.revocationList(revoking: serials, number: UInt64(number + 1), now: simulation.time.wall))
        for node in simulation.nodes.indices {
            let delay = random.below(ScenarioRun.revocationFetchWindowMilliseconds)
            timeline.push(.installRevocations(node: node, list: revocationLists.count - 1), at: simulation.now.adding(milliseconds: delay))
        }
        timeline.push(.checkCutOff, at: simulation.now.adding(milliseconds: ScenarioRun.cutOffCheckMilliseconds))
    }

    func install(_ list: Int, at node: Int) {
        // An older list than the one installed is refused by the verifier: that is fine here.
        try? simulation.nodes[node].verifier.setRevocationList(revocationLists[list])
        simulation.identitiesChanged(at: node)
    }

    /// A peer that (re)starts fetches the current list at once.
    func installCurrentRevocations(at node: Int) {
        if !revocationLists.isEmpty { install(revocationLists.count - 1, at: node) }
    }

    func checkCutOff() {
        let revokedPeers = Set(revoked.map { $0.peer })
        var waiting = false
        for position in revoked.indices where revoked[position].cutOff == nil {
            let peer = revoked[position].peer
            guard let point = RingId(bytes: simulation.nodes[peer].identity.nodeId.bytes) else { continue }
            let reached = simulation.nodes.indices.contains { index in
                let entry = simulation.nodes[index]
                guard entry.alive, entry.attack == nil, !revokedPeers.contains(index) else { return false }
                return entry.node.chord.contains(point) || simulation.link(between: index, and: peer) != nil
            }
            if reached { waiting = true } else { revoked[position].cutOff = simulation.now }
        }
        if waiting && simulation.now < end {
            timeline.push(.checkCutOff, at: simulation.now.adding(milliseconds: ScenarioRun.cutOffCheckMilliseconds))
        }
    }
}
