import Config
import Crypto
import Platform
import SIP
import SIPFront
import Wire

/// `p2psip testnet --dir DIR --peers N [--users M] [--base-port P] [--detach]`: a whole local
/// overlay on loopback for people and tests (like OpenDHT's dhtcluster): an enrollment
/// server (a `p2psip ca serve` process), N enrolled peer identities and M user identities,
/// N real `p2psip peer` processes, each with its key log, and DIR/testnet.json describing it.
/// In the foreground it stops everything on Ctrl-C; `--detach` leaves it running until
/// `p2psip testnet --dir DIR --down`.
enum TestnetCommand {
    static let usage = """
        testnet --dir DIR --peers N [--users M] [--base-port P] [--config FILE|BOARD] [--detach] \
        | testnet --dir DIR --down
        """
    static let overlayName = "testnet.p2psip"
    static let maximumPeers = 64
    static let maximumUsers = 1000
    static let defaultBasePort: Int64 = 21000
    /// A local test CA: the cheapest password hash the accounts file allows, and an address
    /// rate limit that lets one machine enroll every identity at once.
    static let passwordIterations = CryptoLimits.passwordIterationRange.lowerBound
    static let joinTimeoutMilliseconds: UInt64 = 90_000
    static let stopTimeoutMilliseconds: UInt64 = 5_000
    static let pidsFile = "pids"
    /// A small local overlay stabilizes every 20 s (§10.7.4.1) rather than the RFC's 600 s
    /// default: reactive recovery does the work, the periodic Update catches what it missed.
    static let chordUpdateIntervalSeconds = 20

    struct Peer {
        var directory: String
        var port: Int
        var control: String
        var pid: Int32
        var nodeId = ""
        /// The overlay user the peer is enrolled as.
        var name = ""
        /// With a SIP front: where phones send, and the password of the peer's account.
        var sip: String? = nil
        var sipPassword: String? = nil
    }

    /// What to start: N peers enrolled as `peerNames` (peer0... by default), M users, and
    /// optionally a SIP front on every peer whose one account is the peer's own user (RFC 7904
    /// §3.3: a peer registers only its own user's phones), with `sipDigest` (`--sip-digest`).
    struct Plan {
        var peers: Int
        var users: Int
        var basePort: Int
        var board: String
        var peerNames: [String]
        var sip = false
        var sipDigest = "sha256,md5"

        init(peers: Int, users: Int, basePort: Int, board: String, peerNames: [String]? = nil) {
            precondition(peers >= 1 && peers <= TestnetCommand.maximumPeers)
            self.peers = peers
            self.users = users
            self.basePort = basePort
            self.board = board
            self.peerNames = peerNames ?? (0..<peers).map { "peer\($0)" }
            precondition(self.peerNames.count == peers)
        }

        /// Phones of peer `index` send to 127.0.0.1:sipPort(index).
        func sipPort(_ index: Int) -> Int { basePort + TestnetCommand.maximumPeers + 1 + index }
    }

    static func run(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            let options = try CommandOptions.parse(
                arguments, valued: ["--dir", "--peers", "--users", "--base-port", "--config"], flags: ["--detach", "--down"])
            let directory = try options.required("--dir")
            if options.has("--down") {
                guard options.value("--peers") == nil else { throw .usage("--down takes only --dir") }
                return try down(directory)
            }
            let peers = Int(try options.integer("--peers", in: 1...Int64(maximumPeers), default: 0))
            guard options.value("--peers") != nil else { throw .usage("--peers is required") }
            let users = Int(try options.integer("--users", in: 0...Int64(maximumUsers), default: 0))
            let basePort = Int(try options.integer("--base-port", in: 1024...Int64(65535 - 2 * maximumPeers - 1), default: defaultBasePort))
            let board = options.value("--config") ?? "x86_64-dev"
            _ = try PeerSetup.board(board)
            var net = try start(directory: directory, plan: Plan(peers: peers, users: users, basePort: basePort, board: board))
            if options.has("--detach") {
                Console.out("testnet running in the background; stop it with: p2psip testnet --dir \(directory) --down")
                return 0
            }
            return foreground(&net, directory: directory)
        } catch {
            return error.report("testnet", usage: usage)
        }
    }

    struct Network {
        var caPid: Int32
        var peers: [Peer]
    }

    static func start(directory: String, plan: Plan) throws(CommandFailure) -> Network {
        let count = plan.peers
        let users = plan.users
        let basePort = plan.basePort
        guard let executable = ChildProcess.ownExecutable() else { throw .failed("cannot find this program's executable (/proc/self/exe)") }
        if FileSystem.exists(directory + "/" + pidsFile) {
            throw .failed("\(directory) holds a running testnet (\(pidsFile) exists): stop it with --down first")
        }
        if FileSystem.exists(directory) {
            let entries = (try? FileSystem.listDirectory(directory, maximumEntries: 1)) ?? ["?"]
            guard entries.isEmpty else { throw .failed("\(directory) is not empty: use a new --dir") }
        }
        try make(directory)
        let ca = directory + "/ca"
        let server = "127.0.0.1:\(basePort)"
        // The first three peers are the configuration's bootstrap nodes (§11.4), so any of
        // them can restart and rejoin through another.
        var bootstrapOptions: [String] = []
        for index in 0..<min(count, 3) { bootstrapOptions += ["--bootstrap", "127.0.0.1:\(basePort + 1 + index)"] }
        Console.out("testnet: enrollment server at https://\(server), \(count) peers from port \(basePort + 1), \(users) users")
        try step("ca init", CAInitCommand.run(
            ["--dir", ca, "--overlay", overlayName, "--listen", server, "--chord-update-interval", "\(chordUpdateIntervalSeconds)"] + bootstrapOptions))
        try relaxRateLimit(ca + "/" + CADirectory.accounts, identities: count + users)
        let random = try CommandSupport.random()
        let password: [UInt8]
        do throws(CryptoError) {
            password = Array(Hex.encode(try random.bytes(12)).utf8)
        } catch {
            throw .failed("password: \(error.description)")
        }
        let passwordFile = directory + "/password"
        try CommandSupport.writeFile(passwordFile, password, mode: 0o600)
        let userNames = users > 0 ? (1...users).map { "user\($0)" } : []
        let names = plan.peerNames + userNames
        for name in names {
            try step("ca user add \(name)", CAUserCommand.run([
                "add", "--dir", ca, "--user", name, "--password-file", passwordFile, "--iterations", "\(passwordIterations)"]))
        }
        var network = Network(caPid: 0, peers: [])
        network.caPid = try spawn(executable, ["ca", "serve", "--dir", ca, "--listen", server], log: ca + "/serve.log")
        try writePids(directory, network)
        for (index, name) in plan.peerNames.enumerated() {
            try enroll(name, into: directory + "/peer\(index)", server: server, ca: ca, passwordFile: passwordFile)
        }
        for name in userNames { try enroll(name, into: directory + "/users/" + name, server: server, ca: ca, passwordFile: passwordFile) }
        for index in 0..<count {
            let peerDirectory = directory + "/peer\(index)"
            var peer = Peer(directory: peerDirectory, port: basePort + 1 + index, control: peerDirectory + "/control.sock", pid: 0)
            peer.name = plan.peerNames[index]
            var arguments = peerArguments(peerDirectory, plan: plan, port: basePort + 1 + index, server: server)
            if index == 0 { arguments.append("--first") }
            if plan.sip { arguments += try sipArguments(&peer, plan: plan, index: index, random: random) }
            peer.pid = try spawn(executable, arguments, log: peerDirectory + "/peer.log")
            network.peers.append(peer)
            try writePids(directory, network)
            // The first peer starts the overlay; the others need it answering.
            if index == 0 { _ = try waitJoined(&network.peers[0], until: Clock.monotonicNow().adding(milliseconds: joinTimeoutMilliseconds)) }
        }
        let deadline = Clock.monotonicNow().adding(milliseconds: joinTimeoutMilliseconds)
        for index in network.peers.indices { _ = try waitJoined(&network.peers[index], until: deadline) }
        try writeDescription(directory, network, server: server, ca: ca, users: userNames)
        for (index, peer) in network.peers.enumerated() {
            Console.out("  peer\(index)  \(peer.nodeId)  127.0.0.1:\(peer.port)  pid \(peer.pid)  control \(peer.control)")
        }
        Console.out("testnet: \(count) peers joined; \(directory)/testnet.json describes it; try: p2psip status --control \(network.peers[0].control)")
        return network
    }

    /// A peer's command line. The configuration names the enrollment server by the overlay
    /// name and p2psip resolves no names: `--enrollment-connect` says where it is, so the peer
    /// fetches the revocation list (GET /crl) from it.
    static func peerArguments(_ directory: String, plan: Plan, port: Int, server: String) -> [String] {
        return [
            "peer", "--identity", directory, "--config", plan.board, "--listen", "127.0.0.1:\(port)",
            "--control", directory + "/control.sock", "--keylog", directory + "/keylog.txt", "--data-dir", directory + "/data",
            "--enrollment-connect", server,
        ]
    }

    /// The peer's SIP front: an accounts file with its own user and a random password.
    static func sipArguments(_ peer: inout Peer, plan: Plan, index: Int, random: RandomGenerator) throws(CommandFailure) -> [String] {
        let password: String
        do throws(CryptoError) {
            password = Hex.encode(try random.bytes(8))
        } catch {
            throw .failed("password: \(error.description)")
        }
        let accounts = peer.directory + "/sip-accounts"
        let text = "# SIP accounts of this peer: USER PASSWORD (USER is the peer's overlay user, RFC 7904 §3.3)\n\(peer.name) \(password)\n"
        try CommandSupport.writeFile(accounts, Array(text.utf8), mode: 0o600)
        peer.sip = "127.0.0.1:\(plan.sipPort(index))"
        peer.sipPassword = password
        return ["--sip-accounts", accounts, "--sip", "127.0.0.1:\(plan.sipPort(index))", "--sip-digest", plan.sipDigest]
    }

    static func make(_ path: String) throws(CommandFailure) {
        do throws(PlatformError) {
            try FileSystem.makeDirectory(path, mode: 0o700, createParents: true)
        } catch {
            throw .failed(error.description)
        }
    }

    static func step(_ name: String, _ status: Int32) throws(CommandFailure) {
        guard status == 0 else { throw .failed("\(name) failed (exit \(status))") }
    }

    static func spawn(_ executable: String, _ arguments: [String], log: String) throws(CommandFailure) -> Int32 {
        do throws(PlatformError) {
            return try ChildProcess.spawn(executable, arguments, outputPath: log)
        } catch {
            throw .failed("cannot start \(arguments.prefix(2).joined(separator: " ")): \(error.description)")
        }
    }

    /// The server may take a moment to listen: a refused connection is retried, a refusal by
    /// the server is not.
    static func enroll(_ name: String, into target: String, server: String, ca: String, passwordFile: String) throws(CommandFailure) {
        for attempt in 0..<20 {
            let status = EnrollCommand.run([
                "--server", "https://\(server)", "--user", name, "--password-file", passwordFile, "--dir", target,
                "--root-cert", ca + "/" + CADirectory.rootCertificate])
            if status == 0 { return }
            if FileSystem.exists(target + "/" + IdentityDirectory.key) || attempt == 19 { break }
            ChildProcess.sleep(milliseconds: 250)
        }
        throw .failed("enrolling \(name) failed (see \(ca)/serve.log)")
    }

    static func relaxRateLimit(_ accounts: String, identities: Int) throws(CommandFailure) {
        let text: [UInt8]
        do throws(PlatformError) {
            text = try FileSystem.readFile(accounts, maximumBytes: 1 << 20)
        } catch {
            throw .failed(error.description)
        }
        var lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        for index in lines.indices where lines[index].hasPrefix("address-rate-burst") {
            lines[index] = "address-rate-burst = \(max(10, 2 * identities + 10))"
        }
        try CommandSupport.writeFile(accounts, Array(lines.joined(separator: "\n").utf8), mode: 0o600)
    }

    /// Polls the peer's control socket until it reports `joined`; records its Node-ID.
    static func waitJoined(_ peer: inout Peer, until deadline: Instant) throws(CommandFailure) -> Bool {
        while Clock.monotonicNow() < deadline {
            if let status = ChildProcess.reap(peer.pid) {
                throw .failed("peer in \(peer.directory) exited with status \(status) (see \(peer.directory)/peer.log)")
            }
            if FileSystem.isSocket(peer.control) {
                let (code, lines) = ControlClient.request("status", path: peer.control)
                if code == 0, let first = lines.first, first.hasPrefix("node: ") {
                    peer.nodeId = String(first.dropFirst(6))
                    if lines.contains("  state: joined") { return true }
                }
            }
            ChildProcess.sleep(milliseconds: 200)
        }
        throw .failed("peer in \(peer.directory) did not join within \(joinTimeoutMilliseconds / 1000) s (see its peer.log)")
    }

    static func writePids(_ directory: String, _ network: Network) throws(CommandFailure) {
        var text = "ca \(network.caPid)\n"
        for peer in network.peers { text += "peer \(peer.pid)\n" }
        try CommandSupport.writeFile(directory + "/" + pidsFile, Array(text.utf8), mode: 0o600)
    }

    static func writeDescription(_ directory: String, _ network: Network, server: String, ca: String, users: [String]) throws(CommandFailure) {
        let json = description(directory, network, server: server, ca: ca, users: users, extra: [])
        try CommandSupport.writeFile(directory + "/testnet.json", Array((json.serialized + "\n").utf8), mode: 0o644)
    }

    /// testnet.json: the CA, the peers (with "user", and "sip" when they serve phones), the
    /// users, and `extra` fields (the demo's accounts).
    static func description(
        _ directory: String, _ network: Network, server: String, ca: String, users: [String], extra: [JSONValue.Member]
    ) -> JSONValue {
        let peers: [JSONValue] = network.peers.map { peer in
            var members: [JSONValue.Member] = [
                .init("node_id", .string(peer.nodeId)), .init("overlay", .string("127.0.0.1:\(peer.port)")),
                .init("control", .string(peer.control)), .init("identity", .string(peer.directory)),
                .init("pid", .integer(Int64(peer.pid))), .init("keylog", .string(peer.directory + "/keylog.txt")),
                .init("log", .string(peer.directory + "/peer.log")), .init("user", .string(peer.name)),
            ]
            if let sip = peer.sip { members.append(.init("sip", .string(sip))) }
            return .object(members)
        }
        return .object([
            .init("overlay", .string(overlayName)),
            .init("ca", .object([
                .init("url", .string("https://\(server)")), .init("root_cert", .string(ca + "/" + CADirectory.rootCertificate)),
                .init("pid", .integer(Int64(network.caPid))),
            ])),
            .init("password_file", .string(directory + "/password")),
            .init("peers", .array(peers)),
            .init("users", .array(users.map { .object([.init("name", .string($0)), .init("identity", .string(directory + "/users/" + $0))]) })),
        ] + extra)
    }

    /// Ctrl-C (or SIGTERM) stops every process; a peer that dies is reported.
    static func foreground(_ network: inout Network, directory: String) -> Int32 {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        do throws(PlatformError) {
            try loop.watchSignals()
        } catch {
            Console.error("p2psip testnet: \(error.description)")
        }
        Console.out("testnet: Ctrl-C stops it")
        var events: [EventLoop<Int>.Event] = []
        var running = true
        while running {
            guard (try? loop.wait(into: &events, maximumWaitMilliseconds: 1000)) != nil else { break }
            for event in events {
                if case .signal(.shutdown) = event { running = false }
            }
            for index in network.peers.indices where network.peers[index].pid > 0 {
                if let status = ChildProcess.reap(network.peers[index].pid) {
                    Console.out("testnet: peer\(index) (pid \(network.peers[index].pid)) exited with status \(status)")
                    network.peers[index].pid = 0
                }
            }
        }
        let pids = [network.caPid] + network.peers.map { $0.pid }
        stop(pids.filter { $0 > 0 }, children: true)
        _ = try? FileSystem.removeTree(directory + "/" + pidsFile)
        Console.out("testnet: stopped")
        return 0
    }

    static func down(_ directory: String) throws(CommandFailure) -> Int32 {
        let file = directory + "/" + pidsFile
        guard FileSystem.exists(file) else { throw .failed("no testnet running in \(directory) (no \(pidsFile) file)") }
        let text: [UInt8]
        do throws(PlatformError) {
            text = try FileSystem.readFile(file, maximumBytes: 64 * 1024)
        } catch {
            throw .failed(error.description)
        }
        var pids: [Int32] = []
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, let pid = Int32(words[1]), pid > 1 { pids.append(pid) }
        }
        stop(pids, children: false)
        _ = try? FileSystem.removeTree(file)
        Console.out("testnet in \(directory): \(pids.count) processes stopped")
        return 0
    }

    /// SIGTERM to peers first (they leave the overlay), then the server; SIGKILL to whatever
    /// is left after the grace time.
    static func stop(_ pids: [Int32], children: Bool) {
        for pid in pids.reversed() { ChildProcess.signal(pid, .terminate) }
        let deadline = Clock.monotonicNow().adding(milliseconds: stopTimeoutMilliseconds)
        var left = pids
        while !left.isEmpty && Clock.monotonicNow() < deadline {
            left = left.filter { pid in children ? ChildProcess.reap(pid) == nil : ChildProcess.isRunning(pid) }
            if !left.isEmpty { ChildProcess.sleep(milliseconds: 50) }
        }
        for pid in left {
            ChildProcess.signal(pid, .kill)
            if children { while ChildProcess.reap(pid) == nil && ChildProcess.isRunning(pid) { ChildProcess.sleep(milliseconds: 10) } }
        }
    }
}
