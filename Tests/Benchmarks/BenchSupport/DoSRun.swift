import Foundation
import TestSupport

/// One measured run of the honest workload, alone or beside an attacker, against peer 0 of a
/// `p2psip demo` overlay: what the honest users got, what the attacker did, and what the
/// peer spent (CPU from /proc/PID/stat, peak resident set VmHWM from /proc/PID/status, its
/// handshake and link tables against the board's bounds, its counters).
public struct DoSRun {
    public var attack: Attacker.Kind?
    public var honest = HonestWorkload.Result()
    public var attacker = Attacker.Counts()
    public var peerCPUSeconds = 0.0
    /// CPU seconds of all the overlay's peers (the insider's own excluded).
    public var overlayCPUSeconds = 0.0
    public var peakKiB = 0
    /// Sampled just before the attacker stopped.
    public var handshakesInProgress = 0
    public var links = 0
    /// Counters of the peer's status that changed during the run (path → change).
    public var counterChanges: [String: Int] = [:]

    /// The peer's own count of the work it did for the attacker: its costly step for each
    /// attack (a stateless cookie answer; a handshake state taken after a valid cookie; a
    /// handshake's signatures, then an identity check; a request answered; a Digest checked).
    public var peerWork: (what: String, count: Int)? {
        let key: (String, String)
        switch attack {
        case .clienthello: key = ("transport.hello_verify_sent", "HelloVerifyRequests")
        case .halfopen: key = ("transport.cookies_valid", "valid cookies (handshake state taken)")
        case .foreignca: key = ("transport.links_refused_identity", "handshakes completed, identity refused")
        case .insider: key = ("counters.answered", "requests answered")
        case .guess: key = ("sip.counters.digest_failures", "wrong passwords checked")
        case nil: return nil
        }
        return (key.1, counterChanges[key.0] ?? 0)
    }
}

/// The overlay of the load runs and the honest workload on it; the insider's peer when asked.
public final class DoSHarness {
    public let overlay: DetachedOverlay
    public let demo: DetachedOverlayDescription
    public let workload: HonestWorkload
    var insider: RunningProcess?
    var insiderDirectory = ""

    /// `peers` ≥ 2 (alice at peer 0, bob at peer 1); `board`: the peers' configuration.
    public init(name: String, peers: Int, board: String = "x86_64-dev", basePort: Int? = nil) throws {
        let arguments = ["--peers", "\(peers)", "--no-call", "--config", board]
        overlay = try basePort.map { try DetachedOverlay("demo", name: name, basePort: $0, arguments, seconds: 300) }
            ?? benchOverlay("demo", name: name, arguments)
        do {
            demo = DetachedOverlayDescription(overlay)
            // The demo returns once every peer joined; give their views a moment to settle.
            Thread.sleep(forTimeInterval: 3)
            workload = try HonestWorkload(demo: demo, peer: 0)
        } catch {
            overlay.down()
            throw error
        }
    }

    public func down() {
        _ = insider?.stop()
        overlay.down()
    }

    /// Enrolls `mallory` with the overlay's CA and starts her peer (bootstrapping through peer
    /// 0); returns once it joined (at most 60 s).
    func startInsider() throws {
        if insider != nil { return }
        let net = overlay.net
        let password = net.appendingPathComponent("password").path
        let ca = net.appendingPathComponent("ca").path
        let directory = overlay.directory.appendingPathComponent("mallory").path
        let added = try Subprocess.run(BuiltProducts.p2psip, [
            "ca", "user", "add", "--dir", ca, "--user", "mallory", "--password-file", password, "--iterations", "1000"], seconds: 30)
        guard added.status == 0 else { throw BenchFailure("ca user add mallory: \(added.output) \(added.error)") }
        // The running enrollment server reads its accounts again within a second.
        var enrolled = false
        let started = Date()
        while !enrolled && Date().timeIntervalSince(started) < 30 {
            let result = try Subprocess.run(BuiltProducts.p2psip, [
                "enroll", "--server", "https://127.0.0.1:\(overlay.basePort)", "--user", "mallory", "--password-file", password,
                "--dir", directory, "--root-cert", ca + "/root-cert.pem"], seconds: 30)
            enrolled = result.status == 0
            if !enrolled { Thread.sleep(forTimeInterval: 1) }
        }
        guard enrolled else { throw BenchFailure("mallory could not enroll") }
        insiderDirectory = directory
        insider = try Subprocess.start(BuiltProducts.p2psip, [
            "peer", "--identity", directory, "--config", "x86_64-dev", "--listen", "127.0.0.1:\(overlay.basePort + 90)",
            "--bootstrap", "127.0.0.1:\(demo.overlayPort(0))", "--control", directory + "/control.sock", "--data-dir", directory + "/data"])
        let joining = Date()
        while Date().timeIntervalSince(joining) < 60 {
            if let status = DetachedOverlay.status(control: directory + "/control.sock", seconds: 5), status["state"] as? String == "joined" { return }
            Thread.sleep(forTimeInterval: 1)
        }
        throw BenchFailure("mallory's peer did not join within 60 s")
    }

    /// The honest workload (`operations` at `rate`, `slack` seconds beyond their schedule at
    /// most), beside `attack` when given; the attacker starts a second before and stops right after.
    public func run(_ attack: Attacker.Kind?, operations: Int, rate: Double, floodRate: Double = 2000, slack: Double = 30) throws -> DoSRun {
        var run = DoSRun(attack: attack)
        var target = Attacker.Target()
        target.overlayPort = demo.overlayPort(0)
        target.sipPort = demo.sipPort(0)
        target.sipUser = demo.account(0).user
        target.domain = demo.domain
        if attack == .insider {
            try startInsider()
            target.insiderControl = insiderDirectory + "/control.sock"
            target.insiderUser = "mallory@" + demo.domain
        }
        let pid = demo.pid(0)
        let pids = demo.peers.indices.map { demo.pid($0) }
        let before = DetachedOverlay.status(control: demo.control(0)) ?? [:]
        let cpuBefore = cpuSeconds(pid)
        let overlayBefore = pids.map(cpuSeconds).reduce(0, +)
        let attacker = attack.map { Attacker($0, target: target, seconds: Double(operations) / rate + slack + 10, floodRate: floodRate) }
        attacker?.start()
        if attacker != nil { Thread.sleep(forTimeInterval: 1) }
        run.honest = try workload.run(operations: operations, rate: rate, slack: slack)
        let during = DetachedOverlay.status(control: demo.control(0)) ?? [:]
        if let attacker { run.attacker = attacker.stop() }
        run.peerCPUSeconds = cpuSeconds(pid) - cpuBefore
        run.overlayCPUSeconds = pids.map(cpuSeconds).reduce(0, +) - overlayBefore
        run.peakKiB = peakResidentKiB(pid)
        run.handshakesInProgress = (during["transport"] as? [String: Any])?["handshakes_in_progress"] as? Int ?? -1
        run.links = (during["links"] as? [Any])?.count ?? -1
        let after = DetachedOverlay.status(control: demo.control(0)) ?? [:]
        let old = Self.flatten(before)
        for (path, value) in Self.flatten(after) where value != (old[path] ?? 0) { run.counterChanges[path] = value - (old[path] ?? 0) }
        return run
    }

    /// Every whole number in a status object, by its path ("transport.hello_verify_sent").
    static func flatten(_ object: [String: Any], prefix: String = "") -> [String: Int] {
        var numbers: [String: Int] = [:]
        for (key, value) in object {
            if let number = value as? Int {
                numbers[prefix + key] = number
            } else if let inner = value as? [String: Any] {
                numbers.merge(flatten(inner, prefix: prefix + key + "."), uniquingKeysWith: { $1 })
            }
        }
        return numbers
    }
}

/// VmHWM of a process in KiB (/proc/PID/status: its peak resident set); -1 when it cannot be read.
public func peakResidentKiB(_ pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return -1 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

/// The value of `key` in board-configs/BOARD.conf of this source tree; nil without one.
public func boardValue(_ key: String, board: String = "x86_64-dev") -> Int? {
    // This file's own path (Tests/Benchmarks/BenchSupport/), not the caller's.
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { root.deleteLastPathComponent() }
    guard let text = try? String(contentsOf: root.appendingPathComponent("board-configs/\(board).conf"), encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2 && parts[0] == key { return Int(parts[1]) }
    }
    return nil
}
