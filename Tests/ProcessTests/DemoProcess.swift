import Foundation
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// A `p2psip demo --no-call --detach` overlay on loopback: peers with SIP fronts, the accounts
/// from DIR/demo.json, and the SIP tools (sipsak, SIPp, from Debian) run against it. Every
/// wait is bounded.
final class DemoProcess {
    struct Peer {
        var nodeId: String
        var user: String
        var sipPort: Int
        var control: String
        var pid: Int32
    }

    struct Account {
        var user: String
        var password: String
        var peer: Int
        var aor: String
    }

    let overlay: DetachedOverlay
    let domain: String
    var peers: [Peer] = []
    var accounts: [Account] = []

    static var hasSIPTools: Bool { Subprocess.isInstalled("sipsak") && Subprocess.isInstalled("sipp") }

    /// A port range for this test process: overlay ports from `base + 1`, SIP ports from
    /// `base + 65`, and free ones for the SIP tools from `base + 80` (below the kernel's
    /// ephemeral range, which the peers' own sockets use).
    static func basePort() -> Int { 20000 + Int(getpid() % 100) * 100 }

    init(_ name: String, peers count: Int, basePort: Int, environment: [String: String] = [:]) throws {
        overlay = try DetachedOverlay(
            "demo", name: "p2psip-\(name)", basePort: basePort, ["--peers", "\(count)", "--no-call"], environment: environment)
        let json = overlay.json
        domain = json["domain"] as! String
        for entry in overlay.peers {
            let sip = (entry["sip"] as! String).split(separator: ":")
            peers.append(Peer(
                nodeId: entry["node_id"] as! String, user: entry["user"] as! String, sipPort: Int(sip[1])!,
                control: entry["control"] as! String, pid: Int32(entry["pid"] as! Int)))
        }
        for entry in json["accounts"] as! [[String: Any]] {
            accounts.append(Account(
                user: entry["user"] as! String, password: entry["password"] as! String, peer: entry["peer"] as! Int,
                aor: entry["aor"] as! String))
        }
    }

    var directory: URL { overlay.directory }
    var basePort: Int { overlay.basePort }
    var net: URL { overlay.net }

    func account(_ user: String) -> Account { accounts.first { $0.user == user }! }

    func down() { overlay.down() }

    func control(_ index: Int, _ words: [String]) throws -> ProcessOutput {
        try Tool.p2psip(words + ["--control", peers[index].control], in: directory, seconds: 40)
    }

    func status(_ index: Int) -> [String: Any]? { DetachedOverlay.status(control: peers[index].control, seconds: 40) }

    /// Every peer's successors and predecessors are its neighbours in the sorted ring.
    func ringIsRight() -> Bool {
        TestnetProcess.ringIsRight(peers.map { $0.nodeId }) { status($0) }
    }

    /// sipsak's usrloc mode: REGISTER (401, then with Digest), `-vvv` prints every message.
    /// From `localPort` (sent and received there, -S) when given: the phone's address then
    /// is that port, where SIPp answers later.
    func sipsakRegister(_ user: String, password: String? = nil, expires: Int, localPort: Int? = nil) throws -> ProcessOutput {
        let account = account(user)
        var arguments = ["-U", "-vvv", "-s", "sip:\(user)@127.0.0.1", "-r", "\(peers[account.peer].sipPort)", "-u", user,
                         "-a", password ?? account.password, "-x", "\(expires)"]
        if let localPort { arguments += ["-l", "\(localPort)", "-S"] }
        return try Tool.system("sipsak", arguments, in: directory, seconds: 30)
    }

    /// sipsak's default mode: OPTIONS to the peer's SIP port.
    func sipsakOptions(_ index: Int) throws -> ProcessOutput {
        return try Tool.system("sipsak", ["-vv", "-s", "sip:127.0.0.1", "-r", "\(peers[index].sipPort)"], in: directory, seconds: 20)
    }

    /// Datagrams to a peer's SIP port from a socket of our own.
    func sendDatagrams(_ datagrams: [[UInt8]], toPeer index: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(peers[index].sipPort).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        for datagram in datagrams {
            _ = datagram.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    /// The SIPp scenarios of this repository (Tests/SIPp).
    static func scenario(_ name: String) -> String {
        BuiltProducts.projectRoot.appendingPathComponent("Tests/SIPp/\(name)").path
    }

    /// A SIPp scenario that calls sip:[service]@[domain] and expects `status` (then ACKs it in
    /// the INVITE's transaction, RFC 3261 §17.1.1.3).
    func refusedScenario(status: Int) throws -> String {
        let text = """
            <?xml version="1.0" encoding="ISO-8859-1" ?>
            <scenario name="refused \(status)">
              <send retrans="500" start_txn="invite"><![CDATA[
                INVITE sip:[service]@[domain] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
                From: <sip:[caller]@[domain]>;tag=[pid]r[call_number]
                To: <sip:[service]@[domain]>
                Call-ID: [call_id]
                CSeq: 1 INVITE
                Contact: <sip:[caller]@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Length: 0

              ]]></send>
              <recv response="100" optional="true" response_txn="invite"/>
              <recv response="\(status)" response_txn="invite"/>
              <send ack_txn="invite"><![CDATA[
                ACK sip:[service]@[domain] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
                From: <sip:[caller]@[domain]>;tag=[pid]r[call_number]
                To: <sip:[service]@[domain]>[peer_tag_param]
                Call-ID: [call_id]
                CSeq: 1 ACK
                Max-Forwards: 70
                Content-Length: 0

              ]]></send>
            </scenario>
            """
        let path = directory.appendingPathComponent("refused-\(status).xml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// SIPp as the caller `caller` (registered from `localPort` first) at its peer, `calls`
    /// calls to `callee`; the final statistics come from its CSV (-trace_stat).
    func sippCall(_ scenario: String, caller: String, callee: String, localPort: Int, calls: Int, rate: Int = 10, seconds: Double = 120) throws -> SIPpResult {
        let stat = directory.appendingPathComponent("caller-\(UUID().uuidString).csv").path
        let screen = directory.appendingPathComponent("caller-\(UUID().uuidString).screen").path
        let arguments = [
            "-sf", scenario, "-s", callee, "-key", "domain", domain, "-key", "caller", caller,
            "127.0.0.1:\(peers[account(caller).peer].sipPort)", "-i", "127.0.0.1", "-p", "\(localPort)", "-m", "\(calls)", "-r", "\(rate)",
            "-timeout", "\(Int(seconds) - 10)s", "-timeout_error", "-trace_stat", "-stf", stat, "-fd", "1", "-trace_screen", "-screen_file", screen,
        ]
        let output = try Tool.system("sipp", arguments, in: directory, seconds: seconds)
        return SIPpResult(output: output, statistics: SIPpResult.statistics(stat), screen: (try? String(contentsOfFile: screen, encoding: .utf8)) ?? "")
    }

    /// SIPp as the callee `callee` in the background (registered from `localPort` first).
    func sippAnswer(_ callee: String, localPort: Int, calls: Int) throws -> (RunningProcess, String) {
        let stat = directory.appendingPathComponent("callee-\(UUID().uuidString).csv").path
        let process = try Subprocess.start(
            URL(fileURLWithPath: "/usr/bin/sipp"),
            ["-sf", Self.scenario("callee.xml"), "-key", "callee", callee, "-i", "127.0.0.1", "-p", "\(localPort)", "-m", "\(calls)",
             "-timeout", "150s", "-timeout_error", "-trace_stat", "-stf", stat, "-fd", "1"], in: directory)
        return (process, stat)
    }
}

/// What a SIPp run reported: its exit status (0: every call succeeded), the last line of its
/// statistics CSV by column name, and its final screen (the message counts).
struct SIPpResult {
    var output: ProcessOutput
    var statistics: [String: String]
    var screen: String

    func count(_ column: String) -> Int? { statistics[column].flatMap { Int($0) } }

    static func statistics(_ path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 2 else { return [:] }
        let names = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let values = lines[lines.count - 1].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        var result: [String: String] = [:]
        for (index, name) in names.enumerated() where index < values.count { result[name] = values[index] }
        return result
    }

    /// The cumulative average of response time `name` in milliseconds ("00:00:00:017000").
    func milliseconds(_ column: String) -> Double? {
        guard let text = statistics[column] else { return nil }
        let parts = text.split(separator: ":").compactMap { Double($0) }
        guard parts.count == 4 else { return nil }
        return ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + parts[3] / 1000
    }
}
