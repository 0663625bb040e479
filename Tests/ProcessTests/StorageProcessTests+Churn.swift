import Foundation
import Testing
import TestSupport

extension StorageProcessTests {
    /// Records each live peer must hold in all: every record on three peers (§10.4), the
    /// users' and the peers' CERTIFICATE_BY_NODE; and no hand-off left to send (the resync
    /// after the last ring change done, so no holder keeps an older value).
    func settled(_ net: TestnetProcess, _ alive: [Int], records: Int, seconds: Double) -> Double? {
        return TestnetProcess.wait(seconds: seconds, interval: 1) {
            net.storedRecords(alive) == 3 * records && alive.allSatisfy { net.storage($0)?["handoffs_pending"] as? Int == 0 }
        }
    }

    /// For failure messages: each live peer's records, and what it should hold (the resources
    /// in (its third predecessor, itself], §10.4), given each resource's record count.
    func holdings(_ net: TestnetProcess, _ alive: [Int], _ resources: [String: Int]) -> String {
        let ring = alive.map { net.peers[$0].nodeId }.sorted()
        var text = ""
        for index in alive {
            let position = ring.firstIndex(of: net.peers[index].nodeId)!
            let low = ring[(position - 3 + ring.count) % ring.count], high = ring[position]
            let wanted = resources.filter { key, _ in low < high ? (key > low && key <= high) : (key > low || key <= high) }.values.reduce(0, +)
            let storage = (net.status(index)?["counters"] as? [String: Any])?["storage"] as? [String: Any]
            text += " peer\(index)@\(position): \(storage?["records"] as? Int ?? -1)/\(wanted)"
        }
        return text
    }

    /// Kill -9 of two of every three consecutive peers on the ring, in turn (never more than
    /// replication-factor − 1 at once), each round waiting for the ring and for every record to
    /// be on three live peers again; 20 users change a value while peers are down. Then every
    /// killed peer restarts on its data directory, one after the other.
    func churnAndRestarts(_ net: TestnetProcess, _ expected: inout Expected, random: inout SeededRandom) throws {
        let records = expected.count + 2 * net.peers.count
        // Resource-ID (hex) → records there: each user's (USER-MATCH, §7.3.1), each peer's
        // certificate under its Node-ID and under its user name (§8).
        var resources: [String: Int] = [:]
        for user in 1...Self.userCount {
            resources[Self.resourceHex(Self.userName(user))] = (expected.data[user]?.count ?? 0) + (expected.registrations[user]?.count ?? 0)
        }
        for peer in net.peers { resources[Self.certificateResourceHex(peer.nodeId), default: 0] += 1 }
        for index in net.peers.indices { resources[Self.resourceHex("peer\(index)@\(Self.overlay)"), default: 0] += 1 }
        var started = Date()
        let replicated = settled(net, Array(0..<10), records: records, seconds: 90)
        #expect(replicated != nil, "records on the peers: \(String(describing: net.storedRecords(Array(0..<10)))), want 3 × \(records)")
        print("records: every record on 3 peers \(Self.seconds(since: started)) s after the checks")
        let byRing = Array(0..<10).sorted { net.peers[$0].nodeId < net.peers[$1].nodeId }
        var alive = Array(0..<10)
        var killed: [Int] = []
        for round in 0..<3 {
            let victims = [byRing[3 * round], byRing[3 * round + 1]]
            started = Date()
            for victim in victims { net.kill9(victim) }
            alive.removeAll { victims.contains($0) }
            killed += victims
            let repaired = TestnetProcess.wait(seconds: 180) { net.ringIsRight(alive) }
            try #require(repaired != nil, "round \(round): \(net.describe(alive))")
            if round == 1 { try rewrite(net, alive: alive, &expected, random: &random) }
            let copied = settled(net, alive, records: records, seconds: 180)
            let detail = copied == nil ? holdings(net, alive, resources) : ""
            #expect(copied != nil, "round \(round): records \(String(describing: net.storedRecords(alive))), want 3 × \(records): \(detail)")
            print("records: round \(round + 1), kill -9 of ring positions \(3 * round), \(3 * round + 1): ring repaired in "
                + "\(String(format: "%.1f", repaired ?? -1)) s, every record on 3 live peers after \(Self.seconds(since: started)) s")
        }
        started = Date()
        let survivors = problems(net, readers: alive, expected)
        #expect(survivors.isEmpty, "after the kills: \(survivors.count) problems: \(survivors.prefix(10))")
        print("records: all records fetched and verified from the 4 survivors in \(Self.seconds(since: started)) s")
        started = Date()
        for victim in killed {
            try net.restart(victim, bootstrap: net.peers[alive[0]].overlay)
            let joined = TestnetProcess.wait(seconds: 120) { net.status(victim)?["state"] as? String == "joined" }
            #expect(joined != nil, "restarted peer \(net.peers[victim].nodeId) did not join")
        }
        let whole = TestnetProcess.wait(seconds: 180) { net.ringIsRight(Array(0..<10)) }
        #expect(whole != nil, "\(net.describe(Array(0..<10)))")
        let back = settled(net, Array(0..<10), records: records, seconds: 180)
        #expect(back != nil, "records \(String(describing: net.storedRecords(Array(0..<10)))), want 3 × \(records)")
        print("records: 6 peers restarted one after the other: ring right and every record on 3 peers after \(Self.seconds(since: started)) s")
        started = Date()
        let afterRestart = problems(net, readers: Array(0..<10), expected)
        #expect(afterRestart.isEmpty, "after the restarts: \(afterRestart.count) problems: \(afterRestart.prefix(10))")
        print("records: all records fetched and verified from each of 10 peers, none stale or twice, in \(Self.seconds(since: started)) s")
    }

    /// Users 1...20 store a new value of k8 through live peers while peers are down: after the
    /// restarts no peer may serve the old one.
    func rewrite(_ net: TestnetProcess, alive: [Int], _ expected: inout Expected, random: inout SeededRandom) throws {
        var work: [Int: [String]] = [:]
        for user in 1...20 {
            let value = "u\(user)-k8-v2"
            expected.data[user]?["k8"] = value
            work[alive[random.remainder(below: alive.count)], default: []].append(
                "put \(Self.userName(user)) USER-DATA --key k8 \(value) --identity \(net.users[user - 1])")
        }
        let (results, _) = Self.storeAll(net, work)
        let failed = results.flatMap { $0.value.filter { $0.value.status != 0 }.map { $0.value.text } }
        #expect(results.values.reduce(0) { $0 + $1.count } == 20 && failed.isEmpty, "\(failed)")
    }

    /// Crash safety (LMDB, `RecordBackend.write`): a one-peer overlay (the peer holds every
    /// record) is killed with SIGKILL while it stores, 20 times; each time it restarts on its
    /// data directory and every Store answered with success is there.
    @Test func aPeerKilledWhileStoringKeepsEveryAnsweredStore() throws {
        let net = try TestnetProcess("crash", peers: 1, users: 20, basePort: TestnetProcess.basePort(6))
        defer { net.down() }
        try #require(TestnetProcess.wait(seconds: 30) { net.status(0)?["state"] as? String == "joined" } != nil)
        var answered: [Int: [String: String]] = [:]
        var answeredBeforeKill: [Int] = []
        for cycle in 1...20 {
            let before = net.storedRecords([0]) ?? 0
            let lines = (0..<64).map { "put \(Self.userName(cycle)) USER-DATA --key c\($0) v\(cycle)-\($0) --identity \(net.users[cycle - 1])" }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var results: [Int: (status: Int, text: String)] = [:]
            DispatchQueue.global().async {
                results = (try? net.batch(0, lines, inFlight: 4, seconds: 60)) ?? [:]
                done.signal()
            }
            // Killed once some of its Stores committed, while the others are under way.
            _ = TestnetProcess.wait(seconds: 20, interval: 0.05) { (net.storedRecords([0]) ?? 0) >= before + 4 }
            net.kill9(0)
            done.wait()
            let ok = results.filter { $0.value.status == 0 }.map { $0.key }
            answeredBeforeKill.append(ok.count)
            for line in ok { answered[cycle, default: [:]]["c\(line - 1)"] = "v\(cycle)-\(line - 1)" }
            try net.restart(0, first: true)
            let joined = TestnetProcess.wait(seconds: 30) { net.status(0)?["state"] as? String == "joined" }
            try #require(joined != nil, "cycle \(cycle): the peer did not come back")
            let fetched = try net.control(0, ["get", Self.userName(cycle), "USER-DATA"])
            let got = Self.entries(fetched.output.replacingOccurrences(of: "\n", with: "\t"))
            for (key, value) in answered[cycle] ?? [:] {
                #expect(got[key] == [value], "cycle \(cycle): answered \(key) = \(value), after restart \(String(describing: got[key]))")
            }
        }
        #expect(answeredBeforeKill.filter { $0 > 0 && $0 < 64 }.count >= 10, "killed mid-batch too rarely: \(answeredBeforeKill)")
        let log = (try? String(contentsOfFile: net.peers[0].identity + "/peer.log", encoding: .utf8)) ?? ""
        #expect(!log.contains("record store in"), "the record store failed to open: see \(net.peers[0].identity)/peer.log")
        print("crash: 20 kill -9 while storing; Stores answered before each kill \(answeredBeforeKill), all present after each restart")
    }
}
