import BenchSupport
import Foundation
import TestSupport

// dos-bench: honest users beside attackers, measured (issue #16). A `p2psip demo` overlay of
// real peers on loopback (release build, SIP fronts); honest users store and fetch through
// peer 0's control socket (the peer signs as alice), refresh alice's REGISTER at peer 0 and
// call bob at peer 1: a fixed number of operations at a steady rate, for each attacker once
// alone and then once beside it, on the same overlay. The attackers, all at peer 0 from addresses of
// 127.0.0.0/8 of their own (BenchSupport's Attacker):
//   clienthello  cookieless ClientHellos from 1,000 addresses (paced at --flood-rate)
//   halfopen     cookie answered, then silence, from 512 addresses
//   foreignca    whole DTLS handshakes with another CA's certificate, one core's worth
//   insider      an enrolled peer (mallory) storing and fetching as fast as it can
//   guess        REGISTERs for alice with wrong passwords from 4 addresses
// For each: honest success and p50/p99 per kind against the run alone, the attacker's work
// sent and accepted per second, peer 0's CPU seconds and peak resident set (VmHWM), its
// handshake and link tables against the board's bounds, and PASS/FAIL against the goal:
// >= 99 % honest success, p99 <= 2x the run alone, tables within the board configuration.
//
//     swift run -c release dos-bench [--attack all] [--seconds 20] [--rate 4] [--peers 3] [--flood-rate 2000]
//         [--board x86_64-dev]   (the demo peers' board configuration: a built-in name or a file)

let kinds = Attacker.Kind.allCases.map { $0.rawValue }
let arguments = BenchOptions("dos-bench", usage: "swift run -c release dos-bench [--attack none|\(kinds.joined(separator: "|"))|all] "
    + "[--seconds 20] [--rate 4] [--peers 3] [--flood-rate 2000] [--board x86_64-dev|FILE]")
let options = (
    attack: arguments.choice("--attack", default: "all", of: ["none", "all"] + kinds),
    seconds: arguments.integer("--seconds", default: 20, in: 4...600),
    rate: arguments.number("--rate", default: 4, in: 0.5...50),
    peers: arguments.integer("--peers", default: 3, in: 2...20),
    floodRate: arguments.number("--flood-rate", default: 2000, in: 10...100_000),
    board: arguments.text("--board", default: "x86_64-dev"))
arguments.finish()
let attacks: [Attacker.Kind] = options.attack == "all" ? Attacker.Kind.allCases : options.attack == "none" ? [] : [Attacker.Kind(rawValue: options.attack)!]
let operations = max(8, Int(Double(options.seconds) * options.rate))
let maximumHandshakes = boardValue("max-handshakes") ?? 32
let maximumLinks = boardValue("max-links") ?? 256

func ms(_ value: Double) -> String { value.isNaN ? "-" : String(format: "%.1f", value) }

/// One run's lines: honest success and latency per kind (with the ratio to the run alone),
/// the attacker's work, the peer's cost and tables, and the goal lines.
func report(_ run: DoSRun, against alone: DoSRun?) -> Bool {
    let name = run.attack?.rawValue ?? "none"
    let unstarted = run.honest.planned - run.honest.operations
    print(String(format: "[%@] honest: %d of %d succeeded (%.1f %%)%@%@", name, run.honest.succeeded, run.honest.operations,
                 run.honest.successRate * 100, unstarted > 0 ? " (\(unstarted) more not started within the run's time bound)" : "",
                 run.honest.failures.isEmpty ? "" : "; failed: "
                    + run.honest.failures.sorted { $0.value > $1.value }.prefix(4).map { "\($0.value)x \($0.key)" }.joined(separator: "; ")))
    var latencyPass = true
    for kind in HonestWorkload.Kind.allCases {
        let mine = run.honest.latencies[kind] ?? []
        let p50 = percentile(mine, 0.5), p99 = percentile(mine, 0.99)
        var line = "[\(name)]   " + kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + " p50 \(ms(p50)) ms  p99 \(ms(p99)) ms"
        if let alone {
            let base = alone.honest.latencies[kind] ?? []
            let ratio = percentile(mine, 0.99) / percentile(base, 0.99)
            if !(ratio <= 2) { latencyPass = false }
            line += "   alone: p50 \(ms(percentile(base, 0.5))) ms  p99 \(ms(percentile(base, 0.99))) ms   p99 ratio "
                + (ratio.isNaN ? "-" : String(format: "%.2f", ratio))
        }
        print(line)
    }
    if run.attack != nil {
        let seconds = max(run.attacker.seconds, 0.001)
        print(String(format: "[%@] attacker: %d sent (%.0f/s), %d answered by the peer (%.1f/s), %d refused or unanswered in %.1f s",
                     name, run.attacker.sent, Double(run.attacker.sent) / seconds, run.attacker.accepted, Double(run.attacker.accepted) / seconds,
                     run.attacker.refused, seconds))
        if let work = run.peerWork {
            print(String(format: "[%@] peer 0's own count: %d %@ (%.1f/s)", name, work.count, work.what, Double(work.count) / seconds))
        }
        if !run.attacker.notes.isEmpty {
            print("[\(name)]   outcomes: " + run.attacker.notes.sorted { $0.value > $1.value }.prefix(6).map { "\($0.value)x \($0.key)" }.joined(separator: "; "))
        }
    }
    let interesting = ["transport.", "sip.", "counters.answered", "counters.errors_sent", "counters.dropped", "counters.storage.stores"]
    let changes = run.counterChanges.filter { change in interesting.contains { change.key.hasPrefix($0) } && !change.key.hasSuffix("_in_progress") }
    if !changes.isEmpty {
        print("[\(name)]   peer 0 counters: " + changes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value >= 0 ? "+" : "")\($0.value)" }.joined(separator: ", "))
    }
    print(String(format: "[%@] peer 0: %.2f CPU s (all peers %.2f), peak RSS (VmHWM) %.1f MiB; handshakes in progress %d (max-handshakes %d), links %d (max-links %d)",
                 name, run.peerCPUSeconds, run.overlayCPUSeconds, Double(run.peakKiB) / 1024, run.handshakesInProgress, maximumHandshakes,
                 run.links, maximumLinks))
    let successPass = run.honest.successRate >= 0.99
    let memoryPass = run.handshakesInProgress <= maximumHandshakes && run.links <= maximumLinks && run.peakKiB > 0
    print("[\(name)] goal: honest success >= 99 % \(successPass ? "PASS" : "FAIL")"
        + (alone == nil ? "" : "; p99 <= 2x alone \(latencyPass ? "PASS" : "FAIL")")
        + "; tables within the board's bounds \(memoryPass ? "PASS" : "FAIL")")
    return successPass && memoryPass && (alone == nil || latencyPass)
}

print("dos-bench: \(options.peers) peers on loopback (p2psip demo, release), \(operations) honest operations per run at \(options.rate)/s "
    + "(store, fetch, REGISTER, call in turn), \(ProcessInfo.processInfo.activeProcessorCount) cores")
var exitStatus: Int32 = 0
do {
    let harness = try DoSHarness(name: "dos-bench", peers: options.peers, board: options.board)
    defer { harness.down() }
    print(String(format: "overlay up in %.1f s", harness.overlay.startSeconds))
    var failed: [String] = []
    if attacks.isEmpty, !report(try harness.run(nil, operations: operations, rate: options.rate), against: nil) { failed.append("none") }
    for attack in attacks {
        // Each attack against a run alone just before it: this machine's load drifts, and the
        // peer's penalties and bans of one attack must not reach into the next pair.
        Thread.sleep(forTimeInterval: 2)
        let alone = try harness.run(nil, operations: operations, rate: options.rate)
        print("")
        if !report(alone, against: nil) { failed.append("none before \(attack.rawValue)") }
        let run = try harness.run(attack, operations: operations, rate: options.rate, floodRate: options.floodRate)
        if !report(run, against: alone) { failed.append(attack.rawValue) }
    }
    print("")
    print(failed.isEmpty ? "dos-bench: every goal met" : "dos-bench: goals not met in: \(failed.joined(separator: ", "))")
} catch {
    print("dos-bench: \(error)")
    exitStatus = 1
}
exit(exitStatus)
