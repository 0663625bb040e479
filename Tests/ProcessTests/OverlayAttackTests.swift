import Foundation
import Testing
import TestSupport

/// Attacks on real peers: identities the overlay must refuse, revocation while linked, and a
/// ClientHello flood without cookies.
extension OverlayRingTests {
    /// A peer enrolled by another CA (same overlay name) and a self-signed peer cannot link;
    /// the refusals are counted; nobody lists them.
    @Test func peersFromAnotherCAOrSelfSignedCannotLink() throws {
        let net = try TestnetProcess("foreign", peers: 3, basePort: TestnetProcess.basePort(1))
        defer { net.down() }
        let base = net.basePort
        let other = net.directory.appendingPathComponent("other-ca").path
        let password = net.directory.appendingPathComponent("other-password")
        try Data("other secret".utf8).write(to: password)
        #expect(try Tool.p2psip(["ca", "init", "--dir", other, "--overlay", "testnet.p2psip", "--listen", "127.0.0.1:\(base + 40)"],
                                in: net.directory).status == 0)
        #expect(try Tool.p2psip(["ca", "user", "add", "--dir", other, "--user", "intruder", "--password-file", password.path,
                                 "--iterations", "1000"], in: net.directory).status == 0)
        let server = try Subprocess.start(Tool.p2psip, ["ca", "serve", "--dir", other, "--listen", "127.0.0.1:\(base + 40)"], in: net.directory)
        defer { server.stop() }
        let intruder = net.directory.appendingPathComponent("intruder").path
        let enrolled = TestnetProcess.wait(seconds: 20) {
            (try? Tool.p2psip(["enroll", "--server", "https://127.0.0.1:\(base + 40)", "--user", "intruder", "--password-file",
                               password.path, "--dir", intruder, "--root-cert", other + "/root-cert.pem"], in: net.directory))?.status == 0
        }
        #expect(enrolled != nil)
        let selfSigned = net.directory.appendingPathComponent("selfsigned").path
        #expect(try Tool.p2psip(["identity", "self-signed", "--dir", selfSigned, "--user", "nobody", "--overlay", "testnet.p2psip"],
                                in: net.directory).status == 0)
        let bootstrap = net.peers[0].overlay
        var intruders: [RunningProcess] = []
        defer { for process in intruders { process.stop() } }
        for (index, identity) in [intruder, selfSigned].enumerated() {
            intruders.append(try Subprocess.start(Tool.p2psip, [
                "peer", "--identity", identity, "--listen", "127.0.0.1:\(base + 41 + index)", "--bootstrap", bootstrap,
                "--control", identity + "/control.sock"], in: net.directory))
        }
        // Both ends check certificates inside the DTLS handshake: whichever refuses first
        // counts it (peer0 an intruder's certificate, or the intruder peer0's, which it
        // cannot anchor either).
        let refusals = {
            ([net.status(0)] + [intruder, selfSigned].map { DetachedOverlay.status(control: $0 + "/control.sock", seconds: 5) })
                .map { ($0?["transport"] as? [String: Int])?["links_refused_identity"] ?? 0 }
        }
        let refused = TestnetProcess.wait(seconds: 30) { refusals().reduce(0, +) >= 2 }
        #expect(refused != nil, "not both refused (peer0, intruder, self-signed): \(refusals())")
        Thread.sleep(forTimeInterval: 3)
        for index in net.peers.indices {
            let links = (net.status(index)?["links"] as? [[String: Any]]) ?? []
            let users = links.compactMap { $0["user"] as? String }
            #expect(!users.contains { $0.hasPrefix("intruder") || $0.hasPrefix("nobody") }, "peer\(index) links: \(users)")
        }
        for identity in [intruder, selfSigned] {
            let status = try Tool.p2psip(["status", "--control", identity + "/control.sock"], in: net.directory, seconds: 25)
            #expect(!status.output.contains("state: joined"), "\(identity): \(status.output)")
        }
        #expect(TestnetProcess.wait(seconds: 30) { net.ringIsRight(Array(net.peers.indices)) } != nil, "\(net.describe(Array(net.peers.indices)))")
    }

    /// A peer that joined is cut off once its certificate is revoked (new CRL + SIGHUP), and
    /// cannot link again.
    @Test func aRevokedPeerIsCutOffAndCannotLinkAgain() throws {
        let net = try TestnetProcess("revoked", peers: 3, basePort: TestnetProcess.basePort(2))
        defer { net.down() }
        let ca = net.net.appendingPathComponent("ca").path
        let password = net.net.appendingPathComponent("password").path
        #expect(try Tool.p2psip(["ca", "user", "add", "--dir", ca, "--user", "mallory", "--password-file", password, "--iterations", "1000"],
                                in: net.directory).status == 0)
        let mallory = net.directory.appendingPathComponent("mallory").path
        // The running server notices the new account within a second.
        let enrolled = TestnetProcess.wait(seconds: 20, interval: 1) {
            (try? Tool.p2psip(["enroll", "--server", "https://127.0.0.1:\(net.basePort)", "--user", "mallory", "--password-file",
                               password, "--dir", mallory, "--root-cert", ca + "/root-cert.pem"], in: net.directory))?.status == 0
        }
        #expect(enrolled != nil)
        let process = try Subprocess.start(Tool.p2psip, [
            "peer", "--identity", mallory, "--listen", "127.0.0.1:\(net.basePort + 45)", "--bootstrap", net.peers[0].overlay,
            "--control", mallory + "/control.sock"], in: net.directory)
        defer { process.stop() }
        func linkedToMallory() -> [Int] {
            net.peers.indices.filter { index in
                ((net.status(index)?["links"] as? [[String: Any]]) ?? []).contains { ($0["user"] as? String)?.hasPrefix("mallory") == true }
            }
        }
        let joined = TestnetProcess.wait(seconds: 30) { !linkedToMallory().isEmpty }
        #expect(joined != nil, "mallory never linked before revocation")

        #expect(try Tool.p2psip(["ca", "revoke", "--dir", ca, "--user", "mallory"], in: net.directory).status == 0)
        for peer in net.peers {
            try? FileManager.default.removeItem(atPath: peer.identity + "/crl.der")
            try FileManager.default.copyItem(atPath: ca + "/crl.der", toPath: peer.identity + "/crl.der")
            kill(peer.pid, SIGHUP)
        }
        let cut = TestnetProcess.wait(seconds: 30) { linkedToMallory().isEmpty }
        #expect(cut != nil, "still linked to mallory: \(linkedToMallory())")
        // It keeps trying: every try is refused.
        Thread.sleep(forTimeInterval: 5)
        #expect(linkedToMallory().isEmpty)
        let refusals = net.peers.indices.map { (net.status($0)?["transport"] as? [String: Int])?["links_refused_identity"] ?? 0 }
        print("revoked peer: links closed \(String(format: "%.1f", cut ?? -1)) s after the CRL; refusals since: \(refusals)")
        #expect(TestnetProcess.wait(seconds: 30) { net.ringIsRight(Array(net.peers.indices)) } != nil, "\(net.describe(Array(net.peers.indices)))")
    }

    /// 3000 ClientHellos without a cookie from one socket: each gets a stateless
    /// HelloVerifyRequest, no handshake state stays, and an honest peer still joins.
    @Test func aClientHelloFloodCreatesNoStateAndHonestPeersStillJoin() throws {
        let net = try TestnetProcess("flood", peers: 3, users: 1, basePort: TestnetProcess.basePort(3))
        defer { net.down() }
        let before = (net.status(0)?["transport"] as? [String: Int]) ?? [:]
        let port = UInt16(net.peers[0].overlay.split(separator: ":").last!)!
        let sent = try ClientHelloFlood.send(count: 3000, to: port)
        Thread.sleep(forTimeInterval: 1)
        let after = (net.status(0)?["transport"] as? [String: Int]) ?? [:]
        let verifies = (after["hello_verify_sent"] ?? 0) - (before["hello_verify_sent"] ?? 0)
        print("ClientHello flood: \(sent) sent, \(verifies) HelloVerifyRequests, handshakes in progress \(after["handshakes_in_progress"] ?? -1)")
        #expect(verifies >= sent * 9 / 10, "HelloVerifyRequests: \(verifies) of \(sent)")
        #expect(after["handshakes_in_progress"] == 0)
        #expect(after["cookies_valid"] == before["cookies_valid"])
        // An honest peer (the enrolled user's identity) joins right after.
        let user = net.users[0]
        let honest = try Subprocess.start(Tool.p2psip, [
            "peer", "--identity", user, "--listen", "127.0.0.1:\(net.basePort + 50)", "--bootstrap", net.peers[0].overlay,
            "--control", user + "/control.sock"], in: net.directory)
        defer { honest.stop() }
        let joined = TestnetProcess.wait(seconds: 30) {
            (try? Tool.p2psip(["status", "--control", user + "/control.sock"], in: net.directory, seconds: 25))?.output.contains("state: joined") == true
        }
        #expect(joined != nil)
    }
}
