import Config
import Crypto
import Enrollment
import Platform
import Wire

/// `p2psip ca init --dir DIR --overlay NAME [...]`: a new enrollment server (RFC 6940 §11.3):
/// the overlay's root key and self-signed root certificate, the HTTPS server's key and
/// certificate (its name is the overlay name, as §11.3 asks, plus the listen IP so that
/// clients may connect by address), the configuration signer's key and certificate, the
/// signed configuration document (§11.1), an accounts file with the default policy and no
/// users, the ledger, and an empty revocation list. Refuses a DIR that exists and is not empty.
/// Enrollment's CAInitAuthority makes all of it; this parses the options and reports.
enum CAInitCommand {
    static let usage = """
        ca init --dir DIR --overlay NAME [--listen ADDR:PORT] [--bootstrap ADDR:PORT ...] \
        [--enrollment-url URL] [--server-name NAME ...] \
        [--self-signed-permitted [--proof-of-work BITS] [--self-signed-node-ids N]] \
        [--node-id-length 16..20] [--days N] [--configuration-days N] [--chord-update-interval S]
        """

    struct Options {
        var directory: String
        var overlay: String
        var listen: SocketAddress?
        var bootstrap: [SocketAddress] = []
        var enrollmentURL: String
        var serverNames: [String] = []
        var selfSignedPermitted = false
        var proofOfWorkBits = OverlayConfiguration.defaultSelfSignedWorkBits
        var selfSignedNodeIds = OverlayConfiguration.defaultSelfSignedNodeIds
        var nodeIdLength = 16
        var validityDays: Int64 = 3650
        var configurationDays: Int64 = 365
        /// §10.7.4.1 chord-update-interval: the periodic Update to the neighbors.
        var chordUpdateIntervalSeconds = 600
    }

    static func run(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            let options = try parse(arguments)
            try execute(options)
            return 0
        } catch {
            return error.report("ca init", usage: usage)
        }
    }

    static func parse(_ arguments: [String]) throws(CommandFailure) -> Options {
        let parsed = try CommandOptions.parse(
            arguments,
            valued: ["--dir", "--overlay", "--listen", "--enrollment-url", "--proof-of-work", "--self-signed-node-ids",
                     "--node-id-length", "--days", "--configuration-days", "--chord-update-interval"],
            repeatable: ["--bootstrap", "--server-name"], flags: ["--self-signed-permitted"])
        let overlay = try parsed.required("--overlay")
        guard UserName.isValid("x@" + overlay) else {
            throw .usage("--overlay '\(overlay)' must be a DNS-style name (letters, digits, '-', dots between labels)")
        }
        var options = Options(directory: try parsed.required("--dir"), overlay: overlay, enrollmentURL: "")
        if let text = parsed.value("--listen") { options.listen = try address(text, option: "--listen") }
        for text in parsed.all("--bootstrap") { options.bootstrap.append(try address(text, option: "--bootstrap")) }
        for name in parsed.all("--server-name") {
            guard UserName.isValid("x@" + name) else { throw .usage("--server-name '\(name)' is not a DNS name") }
            options.serverNames.append(name)
        }
        options.selfSignedPermitted = parsed.has("--self-signed-permitted")
        options.proofOfWorkBits = Int(try parsed.integer(
            "--proof-of-work", in: 0...Int64(CryptoLimits.maximumWorkBits), default: Int64(options.proofOfWorkBits)))
        options.selfSignedNodeIds = Int(try parsed.integer(
            "--self-signed-node-ids", in: 1...Int64(CryptoLimits.maximumNodeIdsPerCertificate),
            default: Int64(options.selfSignedNodeIds)))
        let selfSignedOptions = parsed.value("--proof-of-work") != nil || parsed.value("--self-signed-node-ids") != nil
        if selfSignedOptions && !options.selfSignedPermitted {
            throw .usage("--proof-of-work and --self-signed-node-ids apply to self-signed identities: add --self-signed-permitted")
        }
        options.nodeIdLength = Int(try parsed.integer("--node-id-length", in: 16...20, default: 16))
        options.validityDays = try parsed.integer("--days", in: 1...7300, default: 3650)
        options.configurationDays = try parsed.integer("--configuration-days", in: 1...3650, default: 365)
        options.chordUpdateIntervalSeconds = Int(try parsed.integer("--chord-update-interval", in: 10...86_400, default: 600))
        let port = options.listen.map { $0.port == 443 ? "" : ":\($0.port)" } ?? ""
        options.enrollmentURL = parsed.value("--enrollment-url") ?? "https://\(overlay)\(port)/enroll"
        guard options.enrollmentURL.hasPrefix("https://"), options.enrollmentURL.utf8.count <= 1024 else {
            throw .usage("--enrollment-url must be an https URL (RFC 6940 §11.1)")
        }
        return options
    }

    static func address(_ text: String, option: String) throws(CommandFailure) -> SocketAddress {
        guard let address = SocketAddress.parse(text) else {
            throw .usage("\(option) '\(text)' is not IPv4:PORT or [IPv6]:PORT")
        }
        return address
    }

    static func execute(_ options: Options) throws(CommandFailure) {
        try prepareEmptyDirectory(options.directory)
        let random = try CommandSupport.random()
        let now = Clock.wallNow()
        let directory = CADirectory(path: options.directory)
        let authority = try CommandFailure.failing { () throws(CAError) in
            try CAInitAuthority.create(in: directory, parameters(options), now: now, random: random)
        }
        report(options, authority: authority)
    }

    /// The options as Enrollment takes them: the listen address (unless unspecified) in the
    /// server certificate, the bootstrap addresses as the configuration writes them (§11.1
    /// bootstrap-node: an address without brackets and a port).
    static func parameters(_ options: Options) -> CAInitParameters {
        var parameters = CAInitParameters(overlay: options.overlay, enrollmentURL: options.enrollmentURL)
        if let listen = options.listen, !listen.addressBytes.allSatisfy({ $0 == 0 }) {
            parameters.serverAddresses = [listen.addressBytes]
        }
        parameters.serverNames = options.serverNames
        parameters.bootstrap = options.bootstrap.map { address in
            let text = address.description
            let bytes = Array(text.utf8)
            let colon = bytes.lastIndex(of: UInt8(ascii: ":")) ?? bytes.count
            var host = Array(bytes[0..<colon])
            if host.first == UInt8(ascii: "[") { host = Array(host.dropFirst().dropLast()) }
            return BootstrapNode(address: String(decoding: host, as: UTF8.self), port: Int(address.port))
        }
        parameters.selfSignedPermitted = options.selfSignedPermitted
        parameters.proofOfWorkBits = options.proofOfWorkBits
        parameters.selfSignedNodeIds = options.selfSignedNodeIds
        parameters.nodeIdLength = options.nodeIdLength
        parameters.validityDays = options.validityDays
        parameters.configurationDays = options.configurationDays
        parameters.chordUpdateIntervalSeconds = options.chordUpdateIntervalSeconds
        return parameters
    }

    /// DIR must not exist, or be an empty directory: `ca init` never overwrites a CA.
    static func prepareEmptyDirectory(_ path: String) throws(CommandFailure) {
        if FileSystem.exists(path) {
            guard FileSystem.isDirectory(path) else { throw .failed("\(path) exists and is not a directory") }
            let entries: [String]
            do throws(PlatformError) {
                entries = try FileSystem.listDirectory(path, maximumEntries: 1)
            } catch {
                throw .failed("\(path) exists and is not empty; ca init never overwrites an enrollment server")
            }
            guard entries.isEmpty else {
                throw .failed("\(path) exists and is not empty; ca init never overwrites an enrollment server")
            }
        }
        do throws(PlatformError) {
            try FileSystem.makeDirectory(path, mode: 0o700, createParents: true)
        } catch {
            throw .failed(error.description)
        }
    }

    static func report(_ options: Options, authority: CAInitAuthority) {
        let directory = CADirectory(path: options.directory)
        Console.out("created enrollment server for overlay \(options.overlay) in \(options.directory)")
        Console.out("  root certificate   \(directory.file(CADirectory.rootCertificate))")
        Console.out("    SHA-256 fingerprint \(CommandSupport.fingerprint(authority.root.certificate.der))")
        Console.out("  configuration      \(directory.file(CADirectory.configuration)) (signed; enrollment server \(options.enrollmentURL))")
        Console.out("  accounts           \(directory.file(CADirectory.accounts)) (no users yet: p2psip ca user add)")
        Console.out("give root-cert.pem to every user out of band; p2psip enroll trusts nothing else")
    }
}
