import Config
import Crypto
import Enrollment
import Node
import Peer
import Platform
import Reload
import Storage
import Wire

/// `p2psip put | get | remove | stat | find | send`: one storage request (RFC 6940 §7.4)
/// through a running peer's control socket. The peer sends the request and verifies what
/// comes back (§7.4.2.2).
///
/// Who signs: the peer, with its own identity, unless `--identity DIR` names another one (a
/// user's enrolled key). Then this command is a RELOAD client (§3.2.1): it signs the value
/// (§7.1) and the whole StoreReq (§6.3.4) with that key and the peer relays the message as it
/// is. §7.3 holds both signers of a non-replica Store to the kind's access policy, so a user's
/// USER-MATCH records are written this way through any peer. `--output FILE` writes the signed
/// request instead of sending it (sign where the key is; `p2psip send FILE` later, anywhere).
enum StorageCommand {
    static let usage = """
        put RESOURCE KIND [--key K | --index N] VALUE [--lifetime S] [--identity DIR [--output FILE]] [--control PATH]
               get|stat RESOURCE KIND [--key K | --index N] [--control PATH]
               remove RESOURCE KIND [--key K | --index N] [--lifetime S] [--identity DIR [--output FILE]] [--control PATH]
               find RESOURCE KIND [--control PATH]
               send FILE [--control PATH]
        """
    static let defaultLifetimeSeconds: UInt32 = 86_400

    /// One request as the control socket takes it, where to send it, and whether to write it
    /// to a file instead.
    struct Prepared {
        var words: [String]
        var controlPath: String
        var outputPath: String?
    }

    static func run(_ command: String, _ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            var signer = try ClientSigner()
            let prepared = try prepare(command, arguments, signer: &signer)
            if let output = prepared.outputPath {
                try CommandSupport.writeFile(output, Array((prepared.words[1] + "\n").utf8), mode: 0o600)
                Console.out("signed request written to \(output) (send it with: p2psip send \(output))")
                return 0
            }
            let (status, lines) = ControlClient.request(prepared.words.joined(separator: " "), path: prepared.controlPath)
            for line in lines { status == 0 ? Console.out(line) : Console.error("p2psip \(command): \(line)") }
            return status
        } catch {
            return error.report(command, usage: usage)
        }
    }

    /// The control request (Peer+Storage describes the words) of one command line.
    static func prepare(_ command: String, _ arguments: [String], signer: inout ClientSigner) throws(CommandFailure) -> Prepared {
        let (given, rest) = split(arguments)
        let options = try CommandOptions.parse(
            rest, valued: ["--key", "--index", "--lifetime", "--identity", "--control", "--config", "--output"])
        var path = options.value("--control") ?? ""
        if path.isEmpty { path = try PeerSetup.board(options.value("--config")).controlSocketPath }
        if command == "send" {
            guard given.count == 1 else { throw .usage("send takes one FILE") }
            return Prepared(words: ["relay", try readSignedRequest(given[0])], controlPath: path)
        }
        let positional = command == "put" ? 3 : 2
        guard given.count == positional else { throw .usage("\(command) takes \(positional) arguments, not \(given.count)") }
        let kind = try kindNumber(given[1])
        let resource = resourceId(given[0], kind: KindId(kind))
        let slot = try slotWord(options)
        let lifetime = UInt32(try options.integer("--lifetime", in: 1...Int64(UInt32.max), default: Int64(defaultLifetimeSeconds)))
        let hex = Hex.encode(resource.bytes)
        switch command {
        case "find": return Prepared(words: ["find", hex, String(kind)], controlPath: path)
        case "get", "stat": return Prepared(words: [command, hex, String(kind), slot], controlPath: path)
        default: break
        }
        let value: [UInt8]? = command == "put" ? Array(given[2].utf8) : nil
        guard let directory = options.value("--identity") else {
            guard options.value("--output") == nil else { throw .usage("--output needs --identity (the request is signed here)") }
            return Prepared(words: ["put", hex, String(kind), slot, value.map { Hex.encode($0) } ?? "-", String(lifetime)], controlPath: path)
        }
        guard let parsedSlot = StorageControl.parseSlot(slot) else { throw .usage("bad --key or --index") }
        let client = try signer.identity(directory)
        let message = try client.signedStore(
            resource: resource, kind: KindId(kind), slot: parsedSlot, value: value, lifetime: lifetime,
            storageTime: signer.nextStorageTime(), random: signer.random)
        return Prepared(words: ["relay", Hex.encode(message)], controlPath: path, outputPath: options.value("--output"))
    }

    /// Positional words and options (`--name value`) apart.
    static func split(_ arguments: [String]) -> (given: [String], rest: [String]) {
        var given: [String] = []
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("--") {
                rest.append(word)
                if index + 1 < arguments.count { rest.append(arguments[index + 1]) }
                index += 2
            } else {
                given.append(word)
                index += 1
            }
        }
        return (given, rest)
    }

    /// RESOURCE is a name (its Resource-ID is the first 16 bytes of its SHA-1) or 32 hex
    /// digits; for CERTIFICATE_BY_NODE, 32 hex digits are a Node-ID, whose certificate lives at
    /// H(Node-ID) (§8).
    static func resourceId(_ text: String, kind: KindId) -> ResourceId {
        if kind == .certificateByNode, text.utf8.count == 2 * NodeConfiguration.nodeIdLength, let bytes = Hex.decode(text),
            let nodeId = NodeId(bytes: bytes)
        {
            return OverlayNode<LMDBBackend>.certificateResource(of: nodeId)
        }
        return PeerStorageRequests.resourceId(text)
    }

    /// A file `put --output` wrote: the signed request in hex on one line.
    static func readSignedRequest(_ path: String) throws(CommandFailure) -> String {
        let bytes: [UInt8]
        do throws(PlatformError) {
            bytes = try FileSystem.readFile(path, maximumBytes: 2 * StorageControl.maximumRelayedBytes + 2)
        } catch {
            throw .failed(error.description)
        }
        let text = String(decoding: bytes.filter { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        guard let decoded = Hex.decode(text), !decoded.isEmpty else { throw .failed("\(path): not a signed request (hex)") }
        return text
    }

    /// KIND: a number (decimal or 0x hex) or a name: the IANA kinds (§14.6) and USER-DATA, the
    /// private kind `p2psip ca init` declares.
    static func kindNumber(_ text: String) throws(CommandFailure) -> UInt32 {
        if text == "USER-DATA" { return CAInitAuthority.userDataKindId }
        for known in [KindId.sipRegistration, .turnService, .certificateByNode, .accessControlList, .certificateByUser, .redir]
        where known.name == text {
            return known.rawValue
        }
        if let number = UInt32(text) { return number }
        if text.hasPrefix("0x"), let bytes = Hex.decode(text), bytes.count <= 4, !bytes.isEmpty {
            return bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        throw .usage("KIND '\(text)' is neither a number nor a known kind name (USER-DATA, SIP-REGISTRATION, CERTIFICATE_BY_NODE, CERTIFICATE_BY_USER, ...)")
    }

    static func slotWord(_ options: CommandOptions) throws(CommandFailure) -> String {
        switch (options.value("--key"), options.value("--index")) {
        case (nil, nil): return "-"
        case (let key?, nil):
            // "0x" and hex digits: binary bytes (a Node-ID, the key of SIP-REGISTRATION, §7.3.3).
            let bytes = key.hasPrefix("0x") && key.utf8.count > 2 ? Hex.decode(String(key.dropFirst(2))) ?? Array(key.utf8) : Array(key.utf8)
            guard !bytes.isEmpty, bytes.count <= StorageLimits.maximumDictionaryKeyBytes else { throw .usage("--key: 1 to 255 bytes") }
            return "k:" + Hex.encode(bytes)
        case (nil, let index?):
            guard let number = UInt32(index) else { throw .usage("--index '\(index)' is not a number") }
            return "i:" + String(number)
        default: throw .usage("--key and --index exclude each other")
        }
    }
}
