import Config
import Crypto
import Node
import Platform
import Reload
import Wire

/// `p2psip peer`: runs a peer of the overlay its identity directory belongs to (RFC 6940 with
/// CHORD-RELOAD), until SIGINT/SIGTERM, when it leaves cleanly (§10.9). It fetches the
/// revocation list from the enrollment server at start and every crl-refresh-seconds
/// (Peer+Revocation); SIGHUP reloads DIR/crl.der. It runs on without the server.
enum PeerCommand {
    static let usage = """
        peer --identity DIR [--config FILE|BOARD] [--listen ADDR:PORT] [--advertise ADDR:PORT] \
        [--bootstrap ADDR:PORT ...] [--first] [--control PATH] [--data-dir DIR] [--keylog FILE] \
        [--enrollment-connect ADDR:PORT] [--log-level error|warn|info|debug] [--sip-accounts FILE [--sip ADDR:PORT] [--app-port PORT] [--sip-digest sha256,md5]]
        """

    static func run(_ arguments: [String]) -> Int32 {
        let setup: PeerSetup
        let peer: Peer
        do throws(CommandFailure) {
            let random = try CommandSupport.random()
            setup = try load(arguments, random: random)
            peer = try Peer(setup, random: random)
        } catch {
            return error.report("peer", usage: usage)
        }
        return peer.run()
    }

    static func load(_ arguments: [String], random: RandomGenerator) throws(CommandFailure) -> PeerSetup {
        let options = try CommandOptions.parse(
            arguments, valued: [
                "--identity", "--config", "--listen", "--advertise", "--control", "--data-dir", "--keylog", "--log-level", "--sip",
                "--sip-accounts", "--app-port", "--sip-digest", "--enrollment-connect",
            ],
            repeatable: ["--bootstrap"], flags: ["--first"])
        let board = try PeerSetup.board(options.value("--config"))
        let directory = IdentityDirectory(path: try options.required("--identity"))
        let (overlay, verifier) = try PeerSetup.overlayConfiguration(directory)
        _ = try PeerSetup.loadRevocationList(directory, into: verifier)
        let identity = try PeerSetup.nodeIdentity(directory, verifier: verifier)
        let listen = try CAInitCommand.address(options.value("--listen") ?? "0.0.0.0:\(board.overlayPort)", option: "--listen")
        let advertise: SocketAddress
        if let text = options.value("--advertise") {
            advertise = try CAInitCommand.address(text, option: "--advertise")
        } else {
            guard listen.addressBytes.contains(where: { $0 != 0 }) else {
                throw .usage("--listen \(listen.description) is a wildcard address: give --advertise ADDR:PORT (where peers reach this one)")
            }
            advertise = listen
        }
        var bootstrap: [IpAddressPort] = []
        for text in options.all("--bootstrap") {
            bootstrap.append(PeerAddressing.ipAddressPort(try CAInitCommand.address(text, option: "--bootstrap")))
        }
        if bootstrap.isEmpty {
            for node in overlay.bootstrapNodes {
                guard let bytes = node.addressBytes, let port = UInt16(exactly: node.port) else { continue }
                let address: SocketAddress = bytes.count == 4 ? .v4(address: bytes, port: port) : .v6(address: bytes, port: port)
                bootstrap.append(PeerAddressing.ipAddressPort(address))
            }
        }
        // --first: this peer starts the overlay now (§6.4.2.1: it is the first node); it
        // does not wait for bootstrap nodes that are not up yet.
        let first = options.has("--first")
        if first { bootstrap = [] }
        guard first || !bootstrap.filter({ $0 != PeerAddressing.ipAddressPort(advertise) }).isEmpty else {
            throw .usage("no bootstrap node (none in the configuration, no --bootstrap) and not --first")
        }
        var logLevel = PeerSetup.logLevel(board.logLevel)
        if let text = options.value("--log-level") {
            switch text {
            case "error": logLevel = .error
            case "warn": logLevel = .warn
            case "info": logLevel = .info
            case "debug": logLevel = .debug
            default: throw .usage("--log-level '\(text)' (error, warn, info, debug)")
            }
        }
        let sip = try PeerSIPSetup.load(options, board: board, overlay: overlay, identity: identity, listen: listen, advertise: advertise)
        var setup = PeerSetup(
            board: board, identityPath: directory.path, overlay: overlay, identity: identity, verifier: verifier, listen: listen,
            advertise: PeerAddressing.ipAddressPort(advertise), bootstrap: bootstrap, first: first,
            controlPath: options.value("--control") ?? board.controlSocketPath, keyLogPath: options.value("--keylog"),
            logLevel: logLevel, dataDirectory: options.value("--data-dir") ?? board.dataDirectory, sip: sip)
        (setup.revocationSource, setup.revocationSourceAbsent) = try PeerRevocationSource.load(
            overlay: overlay, verifier: verifier, connect: options.value("--enrollment-connect"), random: random)
        return setup
    }
}

/// `p2psip status [--json]`, `p2psip ping NODE-ID`, `p2psip route-query RESOURCE`: one request
/// on a running peer's control socket (`--control PATH`, default from `--config` or the
/// built-in board defaults).
enum ControlCommand {
    static let usage = "status [--json] | sip-events | ping NODE-ID | route-query RESOURCE  [--control PATH] [--config FILE|BOARD]"

    static func run(_ command: String, _ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            var words = [command]
            var rest = arguments
            if command != "status" && command != "sip-events" {
                guard let target = rest.first, !target.hasPrefix("--") else { throw .usage("\(command) needs its argument") }
                words.append(target)
                rest.removeFirst()
            }
            let options = try CommandOptions.parse(rest, valued: ["--control", "--config"], flags: command == "status" ? ["--json"] : [])
            if options.has("--json") { words.append("--json") }
            var path = options.value("--control") ?? ""
            if path.isEmpty { path = try PeerSetup.board(options.value("--config")).controlSocketPath }
            let (status, lines) = ControlClient.request(words.joined(separator: " "), path: path)
            for line in lines { status == 0 ? Console.out(line) : Console.error("p2psip \(command): \(line)") }
            return status
        } catch {
            return error.report(command, usage: usage)
        }
    }
}
