import Foundation
import Testing
import TestSupport

/// Revocation that spreads by itself: peers fetch the CRL from the enrollment server (GET /crl)
/// on their own, so `ca revoke` alone cuts a revoked peer off everywhere, with no file copied
/// and no SIGHUP.
extension OverlayRingTests {
    /// The refresh period of this test's board configuration.
    static let revocationRefreshSeconds = 5.0

    /// 10 peers with crl-refresh-seconds = 5; `ca revoke` of one: every other peer closes its
    /// links to it within the bound (1.25 x 5 s of jitter + the server noticing the new
    /// crl.der within 1 s + one fetch; asserted with slack at 20 s), and the peers' status
    /// shows the new list.
    @Test func aRevokedPeerIsCutOffByEveryPeerWithNothingButCARevoke() throws {
        let template = try String(
            contentsOf: BuiltProducts.projectRoot.appendingPathComponent("board-configs/x86_64-dev.conf"), encoding: .utf8)
        let lines = template.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        let changed = lines.map { $0.hasPrefix("crl-refresh-seconds") ? "crl-refresh-seconds = \(Int(Self.revocationRefreshSeconds))" : $0 }
        #expect(changed != lines, "x86_64-dev.conf has no crl-refresh-seconds line")
        let configFile = FileManager.default.temporaryDirectory.appendingPathComponent("crl-refresh-\(getpid()).conf")
        try changed.joined(separator: "\n").write(to: configFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: configFile) }
        let count = 10
        let net = try TestnetProcess("crl-spread", peers: count, basePort: TestnetProcess.basePort(9), config: configFile.path)
        defer { net.down() }
        let revoked = 4
        let target = net.peers[revoked].nodeId
        let others = net.peers.indices.filter { $0 != revoked }
        func linkedToRevoked() -> [Int] {
            others.filter { index in
                ((net.status(index)?["links"] as? [[String: Any]]) ?? []).contains { ($0["node_id"] as? String) == target }
            }
        }
        let linked = TestnetProcess.wait(seconds: 30) { linkedToRevoked().count >= 2 }
        #expect(linked != nil, "peer\(revoked) never linked with two others: \(linkedToRevoked())")
        let before = net.status(0)?["revocation_list"] as? [String: Any]
        #expect(before?["last_fetch_result"] as? String != nil, "peer0 never fetched: \(String(describing: before))")

        let started = Date()
        let ca = net.net.appendingPathComponent("ca").path
        let revoke = try Tool.p2psip(["ca", "revoke", "--dir", ca, "--node", target], in: net.directory)
        #expect(revoke.status == 0, "\(revoke.output)")
        let bound = 20.0
        let cut = TestnetProcess.wait(seconds: bound, interval: 0.2) { linkedToRevoked().isEmpty }
        let elapsed = Date().timeIntervalSince(started)
        #expect(cut != nil, "after \(bound) s still linked to peer\(revoked): \(linkedToRevoked())")
        print("CRL spread: \(count) peers, crl-refresh-seconds \(Int(Self.revocationRefreshSeconds)): "
            + "every other peer cut peer\(revoked) off \(String(format: "%.1f", elapsed)) s after ca revoke (bound \(bound) s)")
        // Every other peer installed the new list (number above the one before) and says so.
        let installed = TestnetProcess.wait(seconds: bound) {
            others.allSatisfy { index in
                let list = net.status(index)?["revocation_list"] as? [String: Any]
                return list?["revoked"] as? Int == 1 && list?["stale"] as? Bool == false
            }
        }
        #expect(installed != nil, "revocation_list of peer1: \(String(describing: net.status(1)?["revocation_list"]))")
        let saved = try Data(contentsOf: URL(fileURLWithPath: net.peers[others[0]].identity + "/crl.der"))
        let served = try Data(contentsOf: URL(fileURLWithPath: ca + "/crl.der"))
        #expect(saved == served, "the peer's crl.der is not the CA's")
        // It stays cut off: its tries to link again are refused.
        Thread.sleep(forTimeInterval: 3)
        #expect(linkedToRevoked().isEmpty)
        #expect(TestnetProcess.wait(seconds: 60) { net.ringIsRight(others) } != nil, "\(net.describe(others))")
    }
}
