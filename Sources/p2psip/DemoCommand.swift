import Config
import Platform
import SIP
import SIPFront
import Wire

/// `p2psip demo`: the whole thing on loopback with nothing to set up. A CA, N enrolled peers
/// (real `p2psip peer` processes, started as `p2psip testnet` starts them) each with a SIP
/// front whose account is the peer's own user (alice, bob, carol, ...: RFC 7904 §3.3), then
/// alice's and bob's phones register at their peers and alice calls bob through the overlay,
/// and every step is printed with what the peers did. Then it keeps running and says how to
/// try it by hand; Ctrl-C stops everything. For scripts: `--no-call --detach` leaves the
/// overlay running with DIR/demo.json, `--down` stops it.
enum DemoCommand {
    static let usage = """
        demo [--dir DIR] [--peers N] [--base-port P] [--config FILE|BOARD] [--no-call] [--detach] | demo --dir DIR --down
        """
    static let defaultPeers: Int64 = 5
    static let minimumPeers: Int64 = 2
    static let defaultBasePort: Int64 = 22000
    static let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
    /// sipsak and SIPp read only the first Digest challenge and know only MD5: the demo's
    /// peers offer MD5 first so that they work (a peer's default is SHA-256 first, RFC 8760).
    static let digest = "md5,sha256"

    static func run(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            let options = try CommandOptions.parse(
                arguments, valued: ["--dir", "--peers", "--base-port", "--config"], flags: ["--no-call", "--detach", "--down"])
            if options.has("--down") {
                guard options.value("--peers") == nil, !options.has("--no-call"), !options.has("--detach") else {
                    throw .usage("--down takes only --dir")
                }
                return try TestnetCommand.down(try options.required("--dir"))
            }
            let directory = options.value("--dir") ?? "/tmp/p2psip-demo-\(ProcessControl.processIdentifier)"
            let count = Int(try options.integer("--peers", in: minimumPeers...Int64(TestnetCommand.maximumPeers), default: defaultPeers))
            let basePort = Int(try options.integer(
                "--base-port", in: 1024...Int64(65535 - 2 * TestnetCommand.maximumPeers - 1), default: defaultBasePort))
            let board = options.value("--config") ?? "x86_64-dev"
            _ = try PeerSetup.board(board)
            var plan = TestnetCommand.Plan(peers: count, users: 0, basePort: basePort, board: board, peerNames: peerNames(count))
            plan.sip = true
            plan.sipDigest = digest
            var network = try TestnetCommand.start(directory: directory, plan: plan)
            try writeDescription(directory, network, plan: plan)
            if !options.has("--no-call") {
                var story = DemoStory(network: network, directory: directory, domain: TestnetCommand.overlayName)
                try story.tell()
            }
            Console.out(howTo(network, directory: directory))
            if options.has("--detach") {
                Console.out("demo: running in the background; stop it with: p2psip demo --dir \(directory) --down")
                return 0
            }
            return TestnetCommand.foreground(&network, directory: directory)
        } catch {
            return error.report("demo", usage: usage)
        }
    }

    static func peerNames(_ count: Int) -> [String] {
        return (0..<count).map { $0 < names.count ? names[$0] : "user\($0)" }
    }

    /// DIR/demo.json: testnet.json's fields (each peer with "user" and "sip") and the accounts.
    static func writeDescription(_ directory: String, _ network: TestnetCommand.Network, plan: TestnetCommand.Plan) throws(CommandFailure) {
        let accounts: [JSONValue] = network.peers.enumerated().map { index, peer in
            .object([
                .init("user", .string(peer.name)), .init("password", .string(peer.sipPassword ?? "")),
                .init("peer", .integer(Int64(index))), .init("aor", .string("sip:\(peer.name)@\(TestnetCommand.overlayName)")),
            ])
        }
        let json = TestnetCommand.description(
            directory, network, server: "127.0.0.1:\(plan.basePort)", ca: directory + "/ca", users: [],
            extra: [.init("domain", .string(TestnetCommand.overlayName)), .init("accounts", .array(accounts))])
        try CommandSupport.writeFile(directory + "/demo.json", Array((json.serialized + "\n").utf8), mode: 0o600)
    }

    /// How to try it by hand: softphone settings, sipsak and SIPp lines, status, put/get.
    static func howTo(_ network: TestnetCommand.Network, directory: String) -> String {
        let domain = TestnetCommand.overlayName
        let alice = network.peers[0]
        let bob = network.peers[1]
        let alicePort = alice.sip?.split(separator: ":").last.map { String($0) } ?? "?"
        let bobPort = bob.sip?.split(separator: ":").last.map { String($0) } ?? "?"
        var lines = ["", "The overlay keeps running. Try it by hand (Ctrl-C stops everything):", "", "  SIP accounts (one per peer, the peer's own user):"]
        for peer in network.peers {
            lines.append("    sip:\(peer.name)@\(domain)  password \(peer.sipPassword ?? "?")  registrar \(peer.sip ?? "?")")
        }
        lines += [
            "",
            "  A softphone (UDP): user alice, password \(alice.sipPassword ?? "?"), domain \(domain),",
            "    outbound proxy / registrar \(alice.sip ?? "?") (or domain 127.0.0.1 with server port \(alicePort)); call bob.",
            "  sipsak (register alice, challenged first):",
            "    sipsak -U -s sip:alice@127.0.0.1 -r \(alicePort) -u alice -a \(alice.sipPassword ?? "?") -x 600",
            "  SIPp (bob answers on port 5072, alice calls from port 5071; register each from its port first):",
            "    sipsak -U -s sip:bob@127.0.0.1 -r \(bobPort) -u bob -a \(bob.sipPassword ?? "?") -x 600 -l 5072 -S",
            "    sipp -sn uas -i 127.0.0.1 -p 5072 &",
            "    sipsak -U -s sip:alice@127.0.0.1 -r \(alicePort) -u alice -a \(alice.sipPassword ?? "?") -x 600 -l 5071 -S",
            "    sipp -sn uac -s bob 127.0.0.1:\(alicePort) -i 127.0.0.1 -p 5071 -m 10 -r 2",
            "    (Tests/SIPp/caller.xml and callee.xml in the source tree follow the dialog's route set: see the README)",
            "  The peers:",
            "    p2psip status --control \(alice.control)",
            "    p2psip sip-events --control \(bob.control)",
            "    p2psip get alice@\(domain) SIP-REGISTRATION --control \(bob.control)",
            "    p2psip put alice@\(domain) USER-DATA --key greeting hello --control \(alice.control)",
            "    p2psip get alice@\(domain) USER-DATA --key greeting --control \(bob.control)",
            "  Logs: \(directory)/peerN/peer.log; description for scripts: \(directory)/demo.json",
        ]
        return lines.joined(separator: "\n")
    }
}
