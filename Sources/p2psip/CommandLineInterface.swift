import Config
import Platform

/// Argument parsing and dispatch: wiring only, the work is done in the modules.
/// Exit status: 0 success, 1 failure of the operation, 2 usage or configuration error.
enum CommandLineInterface {
    static let usage = """
        usage: p2psip COMMAND [OPTIONS]

        Commands:
          selftest [--board-configs DIR]   known-answer tests of crypto, storage, sockets, event
                                           loop and board configs; one line per check
          version                          version, target triple, mbedTLS and LMDB versions
          decode [--hex] [--node-id-length N] FILE|-
                                           print every field of one RELOAD message (bare or
                                           framed), or the field and byte offset where it is
                                           malformed (exit 1)
          config check FILE                validate a board configuration (exit 2 on an error,
                                           naming file, line and key)
          config keys                      every board configuration key: type, range, default
          config show NAME                 print a built-in board configuration
          ca init --dir DIR --overlay NAME [--listen ADDR:PORT] [--bootstrap ADDR:PORT ...]
                 [--self-signed-permitted [--proof-of-work BITS]] [...]
                                           a new enrollment server: root, server and signer
                                           keys (0600), signed overlay configuration,
                                           accounts, ledger, empty revocation list
          ca serve --dir DIR --listen ADDR:PORT [--max-connections N]
                 [--connection-time-limit-ms MS]
                                           the HTTPS enrollment server (RFC 6940 §11.3);
                                           SIGHUP reloads accounts and revocation list
          ca user add --dir DIR --user NAME --password-file FILE [--max-node-ids N]
          ca user list --dir DIR           accounts, their caps and certificates
          ca revoke --dir DIR (--user NAME | --node HEX | --serial HEX)
                                           revoke, and write a new revocation list
          ca crl --dir DIR                 re-sign the revocation list (before it expires)
          enroll --server URL --user NAME --password-file FILE --dir DIR [--root-cert FILE]
                 [--connect ADDR:PORT] [--node-ids N] [--timeout-ms MS]
                                           get key, certificate and signed configuration
                                           from an enrollment server
          enroll --renew --dir DIR [--server URL] [--connect ADDR:PORT] [--timeout-ms MS]
                                           the same Node-IDs under a later expiry, proven
                                           by DIR's key (from half the validity on)
          identity self-signed --dir DIR --user NAME [--overlay NAME] [--proof-of-work BITS]
                                           a self-signed identity (RFC 6940 §11.3.1), weaker
                                           than enrollment: for overlays without a CA
          peer --identity DIR [--config FILE|BOARD] [--listen ADDR:PORT] [--advertise ADDR:PORT]
               [--bootstrap ADDR:PORT ...] [--first] [--control PATH] [--keylog FILE]
               [--sip-accounts FILE [--sip ADDR:PORT] [--app-port PORT] [--sip-digest sha256,md5]]
                                           run a peer: DTLS links, CHORD-RELOAD, control
                                           socket; SIGTERM leaves cleanly, SIGHUP reloads
                                           DIR/crl.der; with --sip-accounts a SIP registrar
                                           and proxy for phones (RFC 7904)
          status [--json] [--control PATH] a running peer: Node-ID, neighbours, fingers,
                                           links, counters
          sip-events [--control PATH]      the last SIP events of a peer (registrations
                                           stored, lookups, AppAttaches, messages)
          ping NODE-ID [--control PATH]    RELOAD Ping through the overlay
          route-query RESOURCE [--control PATH]
                                           which peer is responsible for RESOURCE (32 hex
                                           digits, or a name hashed with SHA-1)
          put RESOURCE KIND [--key K | --index N] VALUE [--lifetime S] [--identity DIR [--output FILE]]
                                           store a value (signed by the peer, or, value and
                                           request, by the identity in DIR) at RESOURCE (a
                                           name hashed with SHA-1, or 32 hex digits); KIND a
                                           number or name (USER-DATA, SIP-REGISTRATION, ...);
                                           --output writes the signed request instead
          get RESOURCE KIND [--key K | --index N]
                                           fetch and verify the values (all when no slot)
          remove RESOURCE KIND [--key K | --index N] [--identity DIR]
                                           store a nonexistent value in its place
          stat RESOURCE KIND [--key K | --index N]
                                           sizes, storage times, lifetimes of the values
          find RESOURCE KIND               the closest resource of KIND the responsible
                                           peer holds
          send FILE                        send a request `put --output` signed
          batch FILE|- [--in-flight N]     one storage command per line, N under way at
                                           once through one control connection
          testnet --dir DIR --peers N [--users M] [--base-port P] [--detach]
          testnet --dir DIR --down         a local overlay on loopback: CA, enrolled
                                           identities, N peer processes, DIR/testnet.json
          demo [--dir DIR] [--peers N] [--no-call] [--detach]
          demo --dir DIR --down            the whole thing on loopback: CA, peers with SIP
                                           fronts, alice calls bob through the overlay;
                                           prints every step and how to try it by hand
          help, --help                     this text

        Exit status: 0 success, 1 failure, 2 usage or configuration error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let words = Array(arguments.dropFirst())
        guard let command = words.first else {
            Console.error(usage)
            return 2
        }
        let rest = Array(words.dropFirst())
        switch command {
        case "help", "--help", "-h":
            Console.out(usage)
            return 0
        case "version", "--version":
            for line in BuildInfo.lines { Console.out(line) }
            return 0
        case "selftest":
            return SelftestCommand.run(rest)
        case "config":
            return ConfigCommand.run(rest)
        case "decode":
            return runDecode(rest)
        case "ca":
            return CACommand.run(rest)
        case "enroll":
            return EnrollCommand.run(rest)
        case "identity":
            return IdentityCommand.run(rest)
        case "peer":
            return PeerCommand.run(rest)
        case "testnet":
            return TestnetCommand.run(rest)
        case "demo":
            return DemoCommand.run(rest)
        case "put", "get", "remove", "stat", "find", "send":
            return StorageCommand.run(command, rest)
        case "batch":
            return BatchCommand.run(rest)
        case "status", "ping", "route-query", "sip-events":
            return ControlCommand.run(command, rest)
        default:
            Console.error("p2psip: unknown command '\(command)' (see p2psip --help)")
            return 2
        }
    }

    /// The largest input `decode` reads: a framed message of the largest size framing allows
    /// (2^24 - 1), as hex text with room for whitespace.
    static let maximumDecodeInputBytes = 3 * (1 << 24)

    static func runDecode(_ arguments: [String]) -> Int32 {
        guard let parsed = parseDecodeArguments(arguments) else {
            Console.error(decodeUsage)
            return 2
        }
        let input: [UInt8]
        do {
            input = parsed.path == "-"
                ? try FileSystem.readStandardInput(maximumBytes: maximumDecodeInputBytes)
                : try FileSystem.readFile(parsed.path, maximumBytes: maximumDecodeInputBytes)
        } catch {
            Console.error("p2psip decode: \(error.description)")
            return 2
        }
        let (lines, status) = decodeCommand(input: input, isHex: parsed.isHex, nodeIdLength: parsed.nodeIdLength)
        for line in lines {
            if status == 0 { Console.out(line) } else { Console.error(line) }
        }
        return status
    }
}
