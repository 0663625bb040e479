// p2psip-sim: runs a scenario file on the simulator and writes what it measured.
//
//     p2psip-sim run SCENARIO --out DIR [--set KEY=VALUE ...]
//     p2psip-sim check SCENARIO [--set KEY=VALUE ...]
//     p2psip-sim calibrate
//
// `run` writes DIR/scenario.txt (the effective scenario) and one CSV per metric (summary.csv,
// hops.csv, latency.csv, timeline.csv, revocations.csv, traffic.csv); the same scenario gives the same bytes.
// What depends on this machine (wall time, events per second, memory per simulated peer) goes
// to standard error and DIR/run.txt. The exit status is 1 when a checker found a violation,
// 2 for a usage or scenario error. Host only: never part of a board binary.
#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Node
import Simulator
import Wire

/// Writes a line to standard error (file descriptor 2).
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
}

func fail(_ text: String, status: Int32 = 2) -> Never {
    printError("p2psip-sim: \(text)")
    exit(status)
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("\(path): cannot open (\(String(cString: strerror(errno))))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
        if bytes.count > 1 << 20 { fail("\(path): larger than 1 MiB: not a scenario file") }
    }
    return bytes
}

func writeFile(_ path: String, _ text: String) {
    guard let file = fopen(path, "wb") else { fail("\(path): cannot write (\(String(cString: strerror(errno))))") }
    let bytes = Array(text.utf8)
    if fwrite(bytes, 1, bytes.count, file) != bytes.count { fail("\(path): short write") }
    fclose(file)
}

func wallSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Peak resident memory of this process in KiB (VmHWM of /proc/self/status).
func peakResidentKiB() -> Int {
    let text = String(decoding: readFile("/proc/self/status"), as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

/// The scenario from SCENARIO and the --set overrides.
func loadScenario(_ arguments: [String]) -> (Scenario, [String]) {
    guard let path = arguments.first else { fail("no scenario file given") }
    var scenario: Scenario
    do throws(ScenarioError) {
        scenario = try Scenario.parse(readFile(path), fileName: path)
    } catch {
        fail(error.description)
    }
    var rest: [String] = []
    var index = 1
    while index < arguments.count {
        if arguments[index] == "--set", index + 1 < arguments.count {
            let pair = arguments[index + 1]
            guard let equals = pair.firstIndex(of: "=") else { fail("--set \(pair): expected KEY=VALUE") }
            do throws(ScenarioError) {
                try scenario.set(key: String(pair[..<equals]), value: String(pair[pair.index(after: equals)...]))
            } catch {
                fail(error.description)
            }
            index += 2
        } else {
            rest.append(arguments[index])
            index += 1
        }
    }
    do throws(ScenarioError) {
        // The keys depend on each other (revocation times, the delay's bounds): checked once
        // all overrides are in.
        try scenario.validate(file: "command line")
    } catch {
        fail(error.description)
    }
    return (scenario, rest)
}

/// Real P-256 costs on this machine, to put in scenario files as cost-sign, cost-verify and cost-chain.
func calibrate() {
    do throws(CryptoError) {
        let random = try RandomGenerator(source: .operatingSystem)
        let pki = try SimulatedPKI(overlay: "calibrate.example", random: random, now: WallTime(secondsSince1970: 1_790_000_000))
        let identity = try pki.makeIdentity(user: "calibrate@calibrate.example")
        let verifier = try pki.makeVerifier()
        let certificate = try Certificate(der: identity.certificateChain[0])
        let key = try certificate.publicKey()
        let digest = SHA256.hash(Array("calibration".utf8))
        let rounds = 200
        func median(_ body: () throws(CryptoError) -> Void) throws(CryptoError) -> Double {
            var times: [Double] = []
            for _ in 0..<rounds {
                let begin = wallSeconds()
                try body()
                times.append((wallSeconds() - begin) * 1e6)
            }
            return times.sorted()[rounds / 2]
        }
        var signature: [UInt8] = []
        let sign = try median { () throws(CryptoError) in signature = try identity.privateKey.sign(sha256Digest: digest, using: random) }
        let verify = try median { () throws(CryptoError) in _ = key.isValidSignature(signature, sha256Digest: digest) }
        let now = WallTime(secondsSince1970: 1_790_000_000).civilTime
        let chain = try median { () throws(CryptoError) in
            let fresh = try IdentityVerifier(overlayName: "calibrate.example", nodeIdLength: 16, roots: [pki.root.certificate], selfSigned: nil)
            _ = try fresh.verify(chain: [certificate], now: now)
        }
        _ = verifier
        print("# median of \(rounds) real P-256 operations on this machine (mbedTLS)")
        print("cost-sign = \(Int(sign.rounded()))us")
        print("cost-verify = \(Int(verify.rounded()))us")
        print("cost-chain = \(Int(chain.rounded()))us")
    } catch {
        fail("calibration: \(error.description)")
    }
}

func run(_ arguments: [String]) {
    let (scenario, rest) = loadScenario(arguments)
    let options = rest.filter { $0 != "--quiet" }
    guard options.count == 2, options[0] == "--out" else { fail("usage: p2psip-sim run SCENARIO --out DIR [--quiet] [--set KEY=VALUE ...]") }
    let directory = options[1]
    if mkdir(directory, 0o755) != 0 && errno != EEXIST { fail("\(directory): cannot create (\(String(cString: strerror(errno))))") }
    let began = wallSeconds()
    let report: ScenarioReport
    var events: UInt64 = 0
    switch scenario.mode {
    case .full:
        do throws(CryptoError) {
            let runner = try ScenarioRun(scenario: scenario, configuration: NodeConfiguration(overlayName: "sim.example"))
            let quiet = rest.contains("--quiet")
            runner.progress = { line in if !quiet { printError(line) } }
            report = try runner.run()
            events = runner.simulation.eventsHandled
        } catch {
            fail("simulation: \(error.description)")
        }
    case .routingOnly:
        (report, events) = RoutingOnlyRun.report(scenario)
    }
    let wall = wallSeconds() - began
    writeFile(directory + "/scenario.txt", scenario.text)
    for (name, text) in report.files { writeFile(directory + "/" + name, text) }
    let memory = peakResidentKiB()
    var lines = [
        "scenario \(scenario.name): \(scenario.peers) peers, \(scenario.mode.rawValue), seed \(scenario.seed)",
        "wall time \(ScenarioReport.decimal(wall, places: 1)) s, \(events) events, \(Int(Double(events) / max(wall, 0.001))) events/s",
        "peak memory \(memory / 1024) MiB, \(memory * 1024 / max(1, scenario.peers)) bytes per simulated peer",
    ]
    for (metric, value) in report.summary where ["lookups", "lookup_success", "hops_median", "hops_p99", "survival_fraction", "cpu_ms_per_peer_per_s"].contains(metric) {
        lines.append("\(metric) \(value)")
    }
    lines += report.violations.map { "violation: " + $0 }
    writeFile(directory + "/run.txt", lines.joined(separator: "\n") + "\n")
    for line in lines { printError(line) }
    if !report.violations.isEmpty { exit(1) }
}

// Swift seeds its hash functions per process, and the Node walks some dictionaries: without a
// fixed seed two runs of one scenario would differ. The runtime reads this variable at start,
// so the process starts itself again with it set.
if getenv("SWIFT_DETERMINISTIC_HASHING") == nil {
    setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
    var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &argv)
    fail("cannot start again with SWIFT_DETERMINISTIC_HASHING set (\(String(cString: strerror(errno))))")
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: p2psip-sim run|check|calibrate ...") }
arguments.removeFirst()
switch command {
case "run": run(arguments)
case "check":
    let (scenario, rest) = loadScenario(arguments)
    if !rest.isEmpty { fail("check: unexpected \(rest[0])") }
    print(scenario.text, terminator: "")
case "calibrate": calibrate()
default: fail("unknown command \(command) (run, check, calibrate)")
}
