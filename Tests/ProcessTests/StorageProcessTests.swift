import Crypto
import Foundation
import Testing

/// Records on a real overlay (RFC 6940 §7, §10.4): `p2psip put/get` through the control
/// sockets of `p2psip peer` processes with LMDB stores; USER-MATCH against another user; the
/// responsible peer killed with SIGKILL and restarted on its data directory.
@Suite(.serialized) struct StorageProcessTests {
    /// Peer 0's user: RFC 6940 §7.3 holds both the value's and the StoreReq's signer to the
    /// policy, so a USER-MATCH record is written by a node with that user's certificate.
    static let owner = "peer0@testnet.p2psip"

    /// The Node-ID responsible for `name`'s Resource-ID (SHA-1, first 16 bytes, §10.1).
    func responsible(_ net: TestnetProcess, _ alive: [Int], for name: String) -> Int {
        let resource = SHA1.hash(Array(name.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        let ring = alive.map { net.peers[$0].nodeId }.sorted()
        let nodeId = ring.first { $0 >= resource } ?? ring[0]
        return net.peers.firstIndex { $0.nodeId == nodeId }!
    }

    /// `get` of the owner's greeting from each peer in `readers`; the peers that did not see it.
    func readersMissing(_ net: TestnetProcess, _ readers: [Int], _ expected: String) throws -> [String] {
        var missing: [String] = []
        for reader in readers {
            let answer = try net.control(reader, ["get", Self.owner, "USER-DATA", "--key", "greeting"])
            if answer.status != 0 || !answer.output.contains("key greeting: \(expected)") {
                missing.append("peer \(reader): \(answer.status) \(answer.output) \(answer.error)")
            }
        }
        return missing
    }

    @Test func putGetAccessControlAndTheResponsiblePeerKilledAndRestarted() throws {
        let net = try TestnetProcess("store", peers: 5, users: 2, basePort: TestnetProcess.basePort(4))
        defer { net.down() }
        let all = Array(0..<5)
        #expect(TestnetProcess.wait(seconds: 60) { net.ringIsRight(all) } != nil, "ring: \(net.describe(all))")

        // Peer 0 stores its user's greeting.
        var started = Date()
        let put = try net.control(0, ["put", Self.owner, "USER-DATA", "--key", "greeting", "hello"])
        #expect(put.status == 0 && put.output.contains("stored at"), "\(put.output) \(put.error)")
        print("put: \(String(format: "%.2f", Date().timeIntervalSince(started))) s: \(put.output)")
        started = Date()
        #expect(try readersMissing(net, all, "hello").isEmpty)
        print("get from 5 peers: \(String(format: "%.2f", Date().timeIntervalSince(started))) s")

        // Another user may not write peer0's resource (§7.3.1), neither as the value's signer
        // (--identity) nor as the request's.
        let forged = try net.control(1, ["put", Self.owner, "USER-DATA", "--key", "greeting", "evil", "--identity", net.users[1]])
        #expect(forged.status == 1 && forged.error.contains("Error_Forbidden"), "\(forged.output) \(forged.error)")
        // Nor may the peer itself, signing as peer1.
        let byPeer = try net.control(1, ["put", Self.owner, "USER-DATA", "--key", "greeting", "evil"])
        #expect(byPeer.status == 1 && byPeer.error.contains("Error_Forbidden"), "\(byPeer.output) \(byPeer.error)")
        #expect(try readersMissing(net, [2], "hello").isEmpty)

        // kill -9 of the responsible peer: a replica answers once the ring is repaired.
        let victim = responsible(net, all, for: Self.owner)
        net.kill9(victim)
        let survivors = all.filter { $0 != victim }
        let repaired = TestnetProcess.wait(seconds: 90) { net.ringIsRight(survivors) }
        #expect(repaired != nil, "ring: \(net.describe(survivors))")
        started = Date()
        let afterKill = try readersMissing(net, survivors, "hello")
        #expect(afterKill.isEmpty, "after kill -9 of peer \(victim): \(afterKill)")
        print("kill -9 of the responsible peer: ring repaired in \(String(format: "%.1f", repaired ?? -1)) s, get from 4 peers \(String(format: "%.2f", Date().timeIntervalSince(started))) s")

        // Restarted on its data directory: it answers for the resource again, with the record.
        try net.restart(victim)
        #expect(TestnetProcess.wait(seconds: 90) { net.ringIsRight(all) } != nil, "ring: \(net.describe(all))")
        Thread.sleep(forTimeInterval: 3)
        let afterRestart = try readersMissing(net, all, "hello")
        #expect(afterRestart.isEmpty, "after restart of peer \(victim): \(afterRestart)")
        let stat = try net.control(victim, ["stat", Self.owner, "USER-DATA"])
        #expect(stat.status == 0 && stat.output.contains("answered by \(net.peers[victim].nodeId)") && stat.output.contains("key greeting: 5 bytes"),
                "\(stat.output) \(stat.error)")
    }
}
