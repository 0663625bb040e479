import Config
import Crypto
import Enrollment
import Platform
import Wire

/// `p2psip identity self-signed --dir DIR --user NAME [...]`: an identity for an overlay
/// without an enrollment server (RFC 6940 §11.3.1): a P-256 key, and a self-signed
/// certificate whose Node-ID is the leading bytes of the digest of its SubjectPublicKeyInfo,
/// carrying the proof of work the overlay asks for (20 bits unless its configuration or
/// --proof-of-work says otherwise). Weaker than enrollment: anyone can make as many identities
/// as CPU time allows, a user name belongs to the first key that stores its certificate under
/// it (CERTIFICATE_BY_USER, §8), and nothing can be revoked. Writes the files `p2psip enroll` writes (key.pem 0600, cert.pem), and, when DIR
/// holds no configuration yet, an unsigned one for the ad-hoc overlay.
enum SelfSignedCommand {
    static let usage = """
        identity self-signed --dir DIR --user NAME [--overlay NAME] [--proof-of-work BITS] \
        [--digest sha1|sha256] [--node-id-length 16..20] [--days N]
        """
    /// The overlay name when neither --overlay nor a configuration in DIR gives one.
    static let defaultOverlay = "p2psip-lan"

    struct Parameters {
        var overlay: String
        var userName: String
        var nodeIdLength: Int
        var policy: SelfSignedPolicy
        var days: Int64
        /// The configuration to write when DIR has none.
        var configuration: OverlayConfiguration?
    }

    static func run(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            try execute(arguments)
            return 0
        } catch {
            return error.report("identity self-signed", usage: usage)
        }
    }

    static func execute(_ arguments: [String]) throws(CommandFailure) {
        let options = try CommandOptions.parse(
            arguments, valued: ["--dir", "--user", "--overlay", "--proof-of-work", "--digest", "--node-id-length", "--days"])
        let directory = IdentityDirectory(path: try options.required("--dir"))
        let parameters = try SelfSignedCommand.parameters(options, directory: directory)
        try directory.checkEmpty()
        let random = try CommandSupport.random()
        let started = Clock.monotonicNow()
        let (key, certificate, identity) = try make(parameters, random: random)
        let elapsed = Clock.monotonicNow().milliseconds(since: started)
        try directory.store(key: key, certificate: certificate)
        if let configuration = parameters.configuration {
            try directory.write(IdentityDirectory.configuration, OverlayConfigurationWriter.document([configuration]), mode: 0o644)
        }
        Console.out("self-signed identity \(identity.userName) for overlay \(parameters.overlay) (RFC 6940 §11.3.1)")
        Console.out("  Node-ID \(Hex.encode(identity.nodeIds[0])) = first \(parameters.nodeIdLength) bytes of "
            + "\(parameters.policy.digest == .sha1 ? "SHA-1" : "SHA-256") of the public key")
        Console.out("  proof of work: \(parameters.policy.workBits) leading zero bits, found in \(elapsed) ms"
            + workRate(certificate, bits: parameters.policy.workBits, elapsed: elapsed))
        Console.out("  key and certificate in \(directory.path)")
        Console.out("note: weaker than enrollment: anyone can make such identities (the proof of work only makes each "
            + "cost CPU time), a user name belongs to the first key that publishes it, and none can be revoked")
    }

    /// The hashes the search took and what 2^bits of them (the expected number) cost on this
    /// CPU at that rate: one run's time is a geometric draw, the rate is not. The key
    /// generation and signing in `elapsed` make the rate a little low (a few ms of seconds).
    static func workRate(_ certificate: [UInt8], bits: Int, elapsed: UInt64) -> String {
        guard bits > 0, let parsed = try? Certificate(der: certificate), let hashes = try? ProofOfWork.hashesSearched(in: parsed),
            hashes >= 1024
        else { return "" }
        let expected = Double(elapsed) * Double(UInt64(1) << UInt64(bits)) / Double(hashes)
        return " after \(hashes) hashes (at this rate 2^\(bits) hashes, the expected search, take \(UInt64(expected)) ms)"
    }

    /// Key, certificate, and the certificate checked the way a peer will check it.
    static func make(_ parameters: Parameters, random: RandomGenerator) throws(CommandFailure) -> (PrivateKey, [UInt8], VerifiedIdentity) {
        let now = Clock.wallNow()
        // Expected attempts are 2^bits; 2^(bits+4) fail with probability e^-16. At most
        // Int32.max so that the bound is an Int on 32-bit boards too.
        let attempts = parameters.policy.workBits == 0
            ? 1 : Int(min(UInt64(Int32.max), UInt64(1) << UInt64(parameters.policy.workBits + 4)))
        do throws(CryptoError) {
            let (key, certificate) = try SelfSignedIdentity.create(
                userName: parameters.userName, overlay: parameters.overlay, nodeIdLength: parameters.nodeIdLength,
                policy: parameters.policy, maximumAttempts: attempts,
                notBefore: CommandSupport.certificateTime(now.adding(seconds: -CAValidity.backdateSeconds)),
                notAfter: CommandSupport.certificateTime(now.adding(seconds: parameters.days * 86_400)), using: random)
            let verifier = try IdentityVerifier(
                overlayName: parameters.overlay, nodeIdLength: parameters.nodeIdLength, roots: [], selfSigned: parameters.policy)
            let identity = try verifier.verify(chain: [try Certificate(der: certificate)], now: now.civilTime)
            return (key, certificate, identity)
        } catch {
            throw .failed("self-signed certificate: \(error.description)")
        }
    }
}
