import Foundation
import Testing
import TestSupport

/// A `p2psip testnet --detach` overlay on loopback for the process-level tests: its
/// description (testnet.json), the peers' status over their control sockets, kill -9 and
/// restart of single peers, and `--down` at the end. Every wait is bounded. Batches through
/// several peers run on threads at once; they only read the description.
final class TestnetProcess: @unchecked Sendable {
    struct Peer {
        var nodeId: String
        var overlay: String
        var control: String
        var identity: String
        var pid: Int32
    }

    let overlay: DetachedOverlay
    /// The board configuration the peers run with (a built-in name or a file).
    let config: String
    var peers: [Peer] = []
    var users: [String] = []
    /// Peers started again by `restart`, which `--down` does not know.
    var restarted: [RunningProcess] = []

    /// A free-looking port range per test run (the tests run in parallel, so each picks its
    /// own slot of 60 ports, 0...9, in a range chosen by the process id): 10000-19659, below
    /// Linux's ephemeral ports (32768-60999), which the many sockets bound to port 0 by the
    /// tests running alongside draw from; a killed peer's port taken by one of them while it
    /// was down made its restart fail (seen once in CI). DemoProcess uses 20000-30074.
    static func basePort(_ slot: Int) -> Int {
        precondition(slot >= 0 && slot < 10)
        return 10000 + Int(getpid() % 16) * 600 + slot * 60
    }

    init(_ name: String, peers: Int, users: Int = 0, basePort: Int, config: String = "x86_64-dev", seconds: Double = 180) throws {
        self.config = config
        overlay = try DetachedOverlay(
            "testnet", name: "p2psip-\(name)", basePort: basePort, ["--peers", "\(peers)", "--users", "\(users)", "--config", config],
            seconds: seconds)
        for entry in overlay.peers {
            self.peers.append(Peer(
                nodeId: entry["node_id"] as! String, overlay: entry["overlay"] as! String, control: entry["control"] as! String,
                identity: entry["identity"] as! String, pid: Int32(entry["pid"] as! Int)))
        }
        self.users = (overlay.json["users"] as! [[String: Any]]).map { $0["identity"] as! String }
    }

    var directory: URL { overlay.directory }
    var basePort: Int { overlay.basePort }
    var net: URL { overlay.net }

    func down(removing: Bool = true) {
        overlay.down(removing: false)
        for process in restarted { process.stop() }
        if removing { overlay.removeDirectory() }
    }

    /// `p2psip status --json` of peer `index`, or nil when it does not answer.
    func status(_ index: Int) -> [String: Any]? { DetachedOverlay.status(control: peers[index].control) }

    func control(_ index: Int, _ words: [String]) throws -> ProcessOutput {
        try Tool.p2psip(words + ["--control", peers[index].control], in: directory, seconds: 40)
    }

    func kill9(_ index: Int) {
        kill(peers[index].pid, SIGKILL)
    }

    /// Starts peer `index` again with the arguments testnet gave it (same identity, address,
    /// control socket and key log), bootstrapping through the configuration's bootstrap node.
    func restart(_ index: Int, bootstrap: String? = nil, first: Bool = false) throws {
        let peer = peers[index]
        try? FileManager.default.removeItem(atPath: peer.control)
        var arguments = ["peer", "--identity", peer.identity, "--config", config, "--listen", peer.overlay,
                         "--control", peer.control, "--keylog", peer.identity + "/keylog.txt", "--data-dir", peer.identity + "/data"]
        if let bootstrap { arguments += ["--bootstrap", bootstrap] }
        if first { arguments.append("--first") }
        let process = try Subprocess.start(Tool.p2psip, arguments, output: .appended(to: URL(fileURLWithPath: peer.identity + "/peer.log")))
        peers[index].pid = process.identifier
        restarted.append(process)
    }

    /// `p2psip batch` of `lines` through peer `index` (`inFlight` under way): each line's exit
    /// status and output (its lines joined by tabs), by line number (1-based).
    func batch(_ index: Int, _ lines: [String], inFlight: Int = 8, seconds: Double = 300) throws -> [Int: (status: Int, text: String)] {
        let file = directory.appendingPathComponent("batch-\(index)-\(UUID().uuidString).txt")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try Tool.p2psip(["batch", file.path, "--in-flight", "\(inFlight)", "--control", peers[index].control],
                                     in: directory, seconds: seconds)
        var answers: [Int: (status: Int, text: String)] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map { String($0) }
            guard fields.count >= 2, let number = Int(fields[0]), let status = Int(fields[1]) else { continue }
            answers[number] = (status, fields.count > 2 ? fields[2] : "")
        }
        return answers
    }

    /// Batches through several peers at once: `work[peer]` are that peer's lines.
    func batches(_ work: [Int: [String]], inFlight: Int = 8) -> [Int: [Int: (status: Int, text: String)]] {
        let order = work.keys.sorted()
        let lock = NSLock()
        nonisolated(unsafe) var merged: [Int: [Int: (status: Int, text: String)]] = [:]
        DispatchQueue.concurrentPerform(iterations: order.count) { position in
            let answers = (try? batch(order[position], work[order[position]] ?? [], inFlight: inFlight)) ?? [:]
            lock.lock()
            merged[order[position]] = answers
            lock.unlock()
        }
        return merged
    }

    /// The storage counters of peer `index` (status --json), or nil.
    func storage(_ index: Int) -> [String: Any]? {
        return (status(index)?["counters"] as? [String: Any])?["storage"] as? [String: Any]
    }

    /// The `records` each peer in `alive` holds (status --json), summed; nil if one does not answer.
    func storedRecords(_ alive: [Int]) -> Int? {
        var total = 0
        for index in alive {
            guard let counters = status(index)?["counters"] as? [String: Any], let storage = counters["storage"] as? [String: Any],
                let records = storage["records"] as? Int
            else { return nil }
            total += records
        }
        return total
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
            if status == nil, let log = try? String(contentsOfFile: peers[index].identity + "/peer.log", encoding: .utf8) {
                text += "\n    peer.log ends: " + log.split(separator: "\n").suffix(5).joined(separator: "\n    ")
            }
        }
        return text
    }

    /// True when every peer in `alive` reports, as its successors and predecessors (nearest
    /// first, up to 3), exactly the neighbours in the sorted ring of the alive Node-IDs.
    func ringIsRight(_ alive: [Int], count: Int = 3) -> Bool {
        Self.ringIsRight(alive.map { peers[$0].nodeId }, count: count) { status(alive[$0]) }
    }

    /// The same for any set of peers: `nodeIds[i]` and `status(i)` (status --json) of each.
    static func ringIsRight(_ nodeIds: [String], count: Int = 3, status: (Int) -> [String: Any]?) -> Bool {
        let ring = nodeIds.sorted()
        for (index, nodeId) in nodeIds.enumerated() {
            guard let status = status(index), status["state"] as? String == "joined",
                  let successors = status["successors"] as? [String], let predecessors = status["predecessors"] as? [String] else { return false }
            let position = ring.firstIndex(of: nodeId)!
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
