import Foundation
import Testing
import TestSupport

/// The p2psip-sim command: the same scenario gives the same output bytes (run twice, as two
/// processes), another seed gives others, and a bad scenario file is refused naming its line.
@Suite struct P2PSIPSimTests {
    static let scenario = """
        name = determinism
        peers = 30
        join-phase = 30s
        duration = 2min
        quiet = 1min
        churn-session = exponential 2min
        stores = 2/s
        fetches = 4/s
        sip-registrations = 1/s
        sip-lookups = 2/s
        attackers = alter 0.1
        revocations = 1min 2

        """

    func run(_ directory: URL, _ name: String, _ extra: [String] = []) throws -> [String: Data] {
        let out = directory.appendingPathComponent(name)
        try Subprocess.require(
            BuiltProducts.executable("p2psip-sim"),
            ["run", directory.appendingPathComponent("s.scenario").path, "--out", out.path, "--quiet"] + extra, seconds: 600)
        var files: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: out.path) where file.hasSuffix(".csv") || file == "scenario.txt" {
            files[file] = try Data(contentsOf: out.appendingPathComponent(file))
        }
        return files
    }

    @Test func sameScenarioSameBytesAnotherSeedOthers() throws {
        try TemporaryDirectory.with("p2psip-sim") { directory in
            try Data(Self.scenario.utf8).write(to: directory.appendingPathComponent("s.scenario"))
            let first = try run(directory, "first")
            let second = try run(directory, "second")
            #expect(first.keys.sorted() == ["hops.csv", "latency.csv", "revocations.csv", "scenario.txt", "summary.csv", "timeline.csv", "traffic.csv"])
            #expect(first == second)
            // traffic.csv splits what the network carried by code: the workload's rows add up to
            // the summary's workload messages, and all rows to at least what was delivered.
            let summary = Self.table(first["summary.csv"]!)
            let rows = String(decoding: first["traffic.csv"]!, as: UTF8.self).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",") }
            let workloadCodes = ["store", "fetch", "stat", "find", "app_attach"].flatMap { [$0 + "_req", $0 + "_ans"] }
            let workload = rows.filter { workloadCodes.contains(String($0[0])) }.reduce(0) { $0 + Int($1[1])! }
            let total = rows.reduce(0) { $0 + Int($1[1])! }
            #expect(workload > 0 && workload == Int(summary["workload_messages"] ?? "") ?? -1, "\(rows)")
            #expect(rows.contains { $0[0] == "update_req" } && total >= Int(summary["messages_delivered"] ?? "") ?? .max)
            let other = try run(directory, "other", ["--set", "seed=2"])
            #expect(other["summary.csv"] != first["summary.csv"])
        }
    }

    static func table(_ data: Data) -> [String: String] {
        var result: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: ",", maxSplits: 1)
            if fields.count == 2 { result[String(fields[0])] = String(fields[1]) }
        }
        return result
    }

    @Test func aBadScenarioIsRefusedWithItsLine() throws {
        try TemporaryDirectory.with("p2psip-sim") { directory in
            let file = directory.appendingPathComponent("bad.scenario")
            try Data("peers = 10\nchurn = lots\n".utf8).write(to: file)
            let result = try Subprocess.run(BuiltProducts.executable("p2psip-sim"), ["check", file.path])
            #expect(result.status == 2)
            #expect(result.error.contains("bad.scenario:2: churn:"), "\(result.error)")
        }
    }
}
