import Foundation
import Testing

/// A `p2psip testnet --detach` overlay on loopback for the process-level tests: its
/// description (testnet.json), the peers' status over their control sockets, kill -9 and
/// restart of single peers, and `--down` at the end. Every wait is bounded.
final class TestnetProcess {
    struct Peer {
        var nodeId: String
        var overlay: String
        var control: String
        var identity: String
        var pid: Int32
    }

    let directory: URL
    let basePort: Int
    var peers: [Peer] = []
    var users: [String] = []
    var restarted: [Process] = []

    /// A free-looking port range per test run (the tests run in parallel, so each picks its
    /// own range from the process id and a counter).
    static func basePort(_ slot: Int) -> Int { 30000 + Int(getpid() % 100) * 300 + slot * 60 }

    init(_ name: String, peers: Int, users: Int = 0, basePort: Int) throws {
        directory = try Tool.temporaryDirectory("p2psip-\(name)")
        self.basePort = basePort
        let start = try Tool.p2psip(
            ["testnet", "--dir", directory.appendingPathComponent("net").path, "--peers", "\(peers)", "--users", "\(users)",
             "--base-port", "\(basePort)", "--detach"], in: directory, seconds: 180)
        guard start.status == 0 else {
            throw Tool.Failure(description: "testnet failed (\(start.status)): \(start.output.suffix(2000)) \(start.error.suffix(2000))")
        }
        let data = try Data(contentsOf: directory.appendingPathComponent("net/testnet.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        for entry in json["peers"] as! [[String: Any]] {
            self.peers.append(Peer(
                nodeId: entry["node_id"] as! String, overlay: entry["overlay"] as! String, control: entry["control"] as! String,
                identity: entry["identity"] as! String, pid: Int32(entry["pid"] as! Int)))
        }
        self.users = (json["users"] as! [[String: Any]]).map { $0["identity"] as! String }
    }

    var net: URL { directory.appendingPathComponent("net") }

    func down(removing: Bool = true) {
        _ = try? Tool.p2psip(["testnet", "--dir", net.path, "--down"], in: directory, seconds: 30)
        for process in restarted where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if removing && ProcessInfo.processInfo.environment["P2PSIP_KEEP_TESTNET"] == nil { try? FileManager.default.removeItem(at: directory) }
    }

    /// `p2psip status --json` of peer `index`, or nil when it does not answer.
    func status(_ index: Int) -> [String: Any]? {
        guard let result = try? Tool.p2psip(["status", "--json", "--control", peers[index].control], in: directory, seconds: 25),
              result.status == 0, let data = result.output.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    func control(_ index: Int, _ words: [String]) throws -> Tool.Output {
        try Tool.p2psip(words + ["--control", peers[index].control], in: directory, seconds: 40)
    }

    func kill9(_ index: Int) {
        kill(peers[index].pid, SIGKILL)
    }

    /// Starts peer `index` again with the arguments testnet gave it (same identity, address,
    /// control socket and key log), bootstrapping through the configuration's bootstrap node.
    func restart(_ index: Int, bootstrap: String? = nil) throws {
        let peer = peers[index]
        try? FileManager.default.removeItem(atPath: peer.control)
        let process = Process()
        process.executableURL = Tool.p2psip
        var arguments = ["peer", "--identity", peer.identity, "--config", "x86_64-dev", "--listen", peer.overlay,
                         "--control", peer.control, "--keylog", peer.identity + "/keylog.txt", "--data-dir", peer.identity + "/data"]
        if let bootstrap { arguments += ["--bootstrap", bootstrap] }
        process.arguments = arguments
        let log = FileHandle(forWritingAtPath: peer.identity + "/peer.log") ?? FileHandle.nullDevice
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        peers[index].pid = process.processIdentifier
        restarted.append(process)
    }

    /// Polls until `check` holds, at most `seconds`; returns the seconds it took, or nil.
    static func wait(seconds: Double, interval: Double = 0.25, _ check: () -> Bool) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if check() { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: interval)
        }
        return nil
    }

    /// Each peer's view against the sorted ring, for failure messages.
    func describe(_ alive: [Int]) -> String {
        let ring = alive.map { peers[$0].nodeId }.sorted()
        var text = "ring: \(ring.map { String($0.prefix(6)) })"
        for index in alive {
            let status = status(index)
            let successors = (status?["successors"] as? [String] ?? []).map { String($0.prefix(6)) }
            let predecessors = (status?["predecessors"] as? [String] ?? []).map { String($0.prefix(6)) }
            text += "\n  \(peers[index].nodeId.prefix(6)) \(status?["state"] as? String ?? "no answer"): pred \(predecessors) succ \(successors)"
        }
        return text
    }

    /// True when every peer in `alive` reports, as its successors and predecessors (nearest
    /// first, up to 3), exactly the neighbours in the sorted ring of the alive Node-IDs.
    func ringIsRight(_ alive: [Int], count: Int = 3) -> Bool {
        let ring = alive.map { peers[$0].nodeId }.sorted()
        for index in alive {
            guard let status = status(index), status["state"] as? String == "joined",
                  let successors = status["successors"] as? [String], let predecessors = status["predecessors"] as? [String] else { return false }
            let position = ring.firstIndex(of: peers[index].nodeId)!
            let others = min(count, ring.count - 1)
            let expectedSuccessors = (1...max(others, 1)).prefix(others).map { ring[(position + $0) % ring.count] }
            let expectedPredecessors = (1...max(others, 1)).prefix(others).map { ring[(position - $0 + ring.count) % ring.count] }
            if Array(successors.prefix(others)) != expectedSuccessors || Array(predecessors.prefix(others)) != expectedPredecessors {
                return false
            }
        }
        return true
    }
}
