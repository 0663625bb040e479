import Crypto
import Foundation
import Testing

/// The overlay as users run it: real `p2psip peer` processes on loopback with enrolled
/// identities (`p2psip testnet`), DTLS links, CHORD-RELOAD.
@Suite(.serialized) struct OverlayRingTests {
    /// Ten peers form the ring; kill -9 of three non-adjacent peers is repaired; restarted,
    /// they rejoin; route queries reach the responsible peer. Prints the times.
    @Test func tenPeersRepairAfterThreeAreKilledAndTheyRejoin() throws {
        let net = try TestnetProcess("ring", peers: 10, basePort: TestnetProcess.basePort(0))
        defer { net.down() }
        let all = Array(0..<10)
        let formed = TestnetProcess.wait(seconds: 60) { net.ringIsRight(all) }
        #expect(formed != nil, "the ring of 10 did not converge")
        print("ring of 10 right \(String(format: "%.1f", formed ?? -1)) s after testnet returned")

        // Three peers, not adjacent in the ring (ring positions 1, 4, 7).
        let byRing = all.sorted { net.peers[$0].nodeId < net.peers[$1].nodeId }
        let victims = [byRing[1], byRing[4], byRing[7]]
        for victim in victims { net.kill9(victim) }
        let survivors = all.filter { !victims.contains($0) }
        let repaired = TestnetProcess.wait(seconds: 90) { net.ringIsRight(survivors) }
        #expect(repaired != nil, "the ring of 7 survivors did not repair: \(net.describe(survivors))")
        print("kill -9 of 3 non-adjacent peers: ring repaired in \(String(format: "%.1f", repaired ?? -1)) s")

        // One after the other, each as soon as the one before has joined (as a watchdog
        // restarting crashed peers would), each through a surviving bootstrap node.
        for victim in victims {
            try net.restart(victim, bootstrap: net.peers[survivors[0]].overlay)
            let joined = TestnetProcess.wait(seconds: 60) { net.status(victim)?["state"] as? String == "joined" }
            #expect(joined != nil, "restarted peer \(net.peers[victim].nodeId) did not join")
        }
        let rejoined = TestnetProcess.wait(seconds: 120) { net.ringIsRight(all) }
        #expect(rejoined != nil, "the restarted peers did not rejoin: \(net.describe(all))")
        print("3 peers restarted: ring of 10 right again in \(String(format: "%.1f", rejoined ?? -1)) s")

        // RouteQuery for names: the answer is the first peer at or after the name's
        // Resource-ID (SHA-1, first 16 bytes) on the ring (RFC 6940 §10.1).
        let ring = all.map { net.peers[$0].nodeId }.sorted()
        for (index, name) in ["alice", "bob", "carol", "sip:dave@testnet.p2psip", "x"].enumerated() {
            let resource = SHA1.hash(Array(name.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
            let responsible = ring.first { $0 >= resource } ?? ring[0]
            let answer = try net.control(index * 2 % 10, ["route-query", name])
            #expect(answer.status == 0 && answer.output.contains("responsible: \(responsible)"), "\(name): \(answer.output) \(answer.error)")
        }
        // Ping a peer across the overlay by Node-ID.
        let pong = try net.control(0, ["ping", net.peers[9].nodeId])
        #expect(pong.status == 0 && pong.output.contains("pong from \(net.peers[9].nodeId)"), "\(pong.output) \(pong.error)")
    }
}
