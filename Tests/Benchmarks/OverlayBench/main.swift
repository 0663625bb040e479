import BenchSupport
import Foundation
import TestSupport

// overlay-bench: the overlay as a user runs it, measured. A testnet of 10 real peer processes
// on loopback, then: the join time of an 11th peer (median of several joins), RouteQuery round
// trips through a peer's control socket (median and p99), the idle resident set of a peer, and
// DTLS handshakes per second on one core (link-bench's measurement, run as a child).
//
//     swift run -c release overlay-bench [--peers 10] [--joins 5] [--queries 500]

let arguments = BenchOptions("overlay-bench", usage: "swift run -c release overlay-bench [--peers 10] [--joins 5] [--queries 500]")
let options = (
    peers: arguments.integer("--peers", default: 10, in: 2...50),
    joins: arguments.integer("--joins", default: 5, in: 1...100),
    queries: arguments.integer("--queries", default: 500, in: 10...100_000))
arguments.finish()
let p2psip = BuiltProducts.p2psip

/// One request on a control socket; returns the answer text and the wall time in ms.
func control(_ path: String, _ line: String) -> (String, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let fd = connectControl(path)
    guard fd >= 0 else { return ("", -1) }
    defer { close(fd) }
    guard writeAll(fd, line + "\n") else { return ("", -1) }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(fd, &buffer, buffer.count)
        if count <= 0 { break }
        answer += buffer[0..<count]
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    return (String(decoding: answer, as: UTF8.self), elapsed)
}

print("overlay-bench: \(options.peers) peers on loopback (p2psip testnet), \(ProcessInfo.processInfo.activeProcessorCount) cores")
do {
    let overlay = try benchOverlay("testnet", name: "overlay-bench", ["--peers", "\(options.peers)", "--users", "1"])
    defer { overlay.down() }
    let basePort = overlay.basePort
    print(String(format: "testnet of %d peers up (CA, enrollments, joins) in %.1f s", options.peers, overlay.startSeconds))
    let description = overlay.json
    let peers = overlay.peers
    let user = (description["users"] as! [[String: Any]])[0]["identity"] as! String
    Thread.sleep(forTimeInterval: 5)

    // Join time: start a peer with the user's identity, time until its status says joined.
    var joins: [Double] = []
    for attempt in 0..<options.joins {
        let controlPath = user + "/control.sock"
        try? FileManager.default.removeItem(atPath: controlPath)
        let start = Date()
        let process = try Subprocess.start(
            p2psip, ["peer", "--identity", user, "--listen", "127.0.0.1:\(basePort + 55)", "--bootstrap",
                     peers[attempt % peers.count]["overlay"] as! String, "--control", controlPath])
        var joined: Double? = nil
        while Date().timeIntervalSince(start) < 30 {
            if control(controlPath, "status").0.contains("state: joined") {
                joined = Date().timeIntervalSince(start) * 1000
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.stop()
        if let joined { joins.append(joined) }
        Thread.sleep(forTimeInterval: 2)
    }
    if joins.isEmpty {
        print("join of an 11th peer: never joined")
    } else {
        print(String(format: "join of a new peer into %d peers (process start to joined): median %.0f ms, min %.0f, max %.0f (%d joins)",
                     options.peers, percentile(joins, 0.5), joins.min()!, joins.max()!, joins.count))
    }

    // RouteQuery round trips for random names, through each peer in turn.
    var times: [Double] = []
    for index in 0..<options.queries {
        let path = peers[index % peers.count]["control"] as! String
        let (answer, elapsed) = control(path, "route-query bench-\(index)-\(UInt32.random(in: 0...UInt32.max))")
        if answer.hasPrefix("0\n") { times.append(elapsed) }
    }
    print(String(format: "RouteQuery round trip (control socket -> overlay -> responsible peer -> back): median %.2f ms, p99 %.2f ms (%d of %d answered)",
                 percentile(times, 0.5), percentile(times, 0.99), times.count, options.queries))

    Thread.sleep(forTimeInterval: 5)
    let rss = peers.map { residentKiB(Int32($0["pid"] as! Int)) }.filter { $0 > 0 }.map(Double.init)
    print(String(format: "resident set of an idle peer (VmRSS): median %.0f KiB, max %.0f KiB (%d peers)",
                 percentile(rss, 0.5), rss.max() ?? -1, rss.count))
} catch {
    print("overlay-bench: \(error.localizedDescription)")
    exit(1)
}

// DTLS handshakes on one core: link-bench's measurement (both ends in one process).
let linkBench = BuiltProducts.executable("link-bench")
if FileManager.default.isExecutableFile(atPath: linkBench.path),
   let output = try? Subprocess.require(
       linkBench, ["--runs", "3", "--megabytes", "1", "--messages", "100"], output: .outputOnly, seconds: 600).output {
    for line in output.split(separator: "\n") where line.contains("handshakes") || line.hasPrefix("    wall clock") && line.contains("/s median") && !line.contains("MB") {
        print(line)
    }
} else {
    print("DTLS handshakes: build link-bench too (swift build -c release --product link-bench)")
}
