import Config
import Crypto
import Node
import Platform
import Reload
import Storage
import Wire

/// `p2psip put | get | remove | stat | find`: one storage request (RFC 6940 §7.4) through a
/// running peer's control socket. The peer sends the request, signed with its own key, and
/// verifies what comes back (§7.4.2.2).
///
/// Who signs the value: the peer, with its own identity, unless `--identity DIR` names
/// another one (a user's enrolled key): then this command signs the StoredData itself (§7.1)
/// and passes it, with the certificate, to the peer. Access control (USER-MATCH, §7.3.1)
/// checks the value's signer, so a user can write their own records through any peer.
enum StorageCommand {
    static let usage = """
        put RESOURCE KIND [--key K | --index N] VALUE [--lifetime S] [--identity DIR] [--control PATH]
               get|stat RESOURCE KIND [--key K | --index N] [--control PATH]
               remove RESOURCE KIND [--key K | --index N] [--lifetime S] [--identity DIR] [--control PATH]
               find RESOURCE KIND [--control PATH]
        """
    static let defaultLifetimeSeconds: UInt32 = 86_400

    static func run(_ command: String, _ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            let (words, path) = try request(command, arguments)
            guard words.joined(separator: " ").utf8.count < ControlServer.maximumRequestBytes else {
                throw .usage("value too long for one request")
            }
            let (status, lines) = ControlClient.request(words.joined(separator: " "), path: path)
            for line in lines { status == 0 ? Console.out(line) : Console.error("p2psip \(command): \(line)") }
            return status
        } catch {
            return error.report(command, usage: usage)
        }
    }

    /// The control request's words (Peer+Storage) and the control socket path.
    static func request(_ command: String, _ arguments: [String]) throws(CommandFailure) -> ([String], String) {
        let positional = command == "put" ? 3 : 2
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
        guard given.count == positional else { throw .usage("\(command) takes \(positional) arguments, not \(given.count)") }
        let options = try CommandOptions.parse(
            rest, valued: ["--key", "--index", "--lifetime", "--identity", "--control", "--config"])
        let resource = Hex.encode(Peer.resourceId(given[0]).bytes)
        let kind = try kindNumber(given[1])
        let slot = try slotWord(options)
        var path = options.value("--control") ?? ""
        if path.isEmpty { path = try PeerSetup.board(options.value("--config")).controlSocketPath }
        let lifetime = UInt32(try options.integer("--lifetime", in: 1...Int64(UInt32.max), default: Int64(defaultLifetimeSeconds)))
        switch command {
        case "find": return (["find", resource, String(kind)], path)
        case "get", "stat": return ([command, resource, String(kind), slot], path)
        default: break
        }
        let value: [UInt8]? = command == "put" ? Array(given[2].utf8) : nil
        guard let directory = options.value("--identity") else {
            return (["put", resource, String(kind), slot, value.map { Hex.encode($0) } ?? "-", String(lifetime)], path)
        }
        let signed = try signedValue(
            directory: directory, resource: Peer.resourceId(given[0]), kind: KindId(kind), slot: slot, value: value, lifetime: lifetime)
        return (["put-signed", resource, String(kind), Hex.encode(signed.data), Hex.encode(signed.certificate)], path)
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
            guard !key.isEmpty, key.utf8.count <= StorageLimits.maximumDictionaryKeyBytes else { throw .usage("--key: 1 to 255 bytes") }
            return "k:" + Hex.encode(Array(key.utf8))
        case (nil, let index?):
            guard let number = UInt32(index) else { throw .usage("--index '\(index)' is not a number") }
            return "i:" + String(number)
        default: throw .usage("--key and --index exclude each other")
        }
    }

    /// §7.1: the StoredData signed with the key in `directory`, and its certificate. The
    /// data model follows the slot: --key a dictionary, --index an array, neither a single value.
    static func signedValue(
        directory: String, resource: ResourceId, kind: KindId, slot: String, value: [UInt8]?, lifetime: UInt32
    ) throws(CommandFailure) -> (data: [UInt8], certificate: [UInt8]) {
        let files = IdentityDirectory(path: directory)
        let (_, verifier) = try PeerSetup.overlayConfiguration(files)
        let identity = try PeerSetup.nodeIdentity(files, verifier: verifier)
        let dataValue = DataValue(exists: value != nil, value: value ?? [])
        let model: DataModel = slot.hasPrefix("k:") ? .dictionary : slot.hasPrefix("i:") ? .array : .singleValue
        guard let parsedSlot = StorageControl.parseSlot(slot),
            let stored = StorageControl.storedValue(model: model, slot: parsedSlot, dataValue)
        else { throw .usage("bad --key or --index") }
        let certificate = identity.certificateChain[0]
        let random = try CommandSupport.random()
        let data: StoredData
        do throws(ReloadError) {
            data = try StoredData.signed(
                resource: resource, kind: kind, storageTime: Clock.wallMillisecondsSinceEpoch(), lifetime: lifetime, value: stored,
                identity: .certHash(certificateDER: certificate), key: identity.privateKey, random: random)
        } catch {
            throw .failed("signing the value: \(error.description)")
        }
        do throws(WireError) {
            return (try data.encoded(), certificate)
        } catch {
            throw .failed("encoding the value: \(error.description)")
        }
    }
}
