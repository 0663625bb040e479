import Config
import Crypto
import Enrollment
import Platform
import Wire

/// `p2psip identity self-signed --dir DIR --user NAME [...]`: an identity for an overlay
/// without an enrollment server (RFC 6940 §11.3.1): a P-256 key, and a self-signed
/// certificate whose Node-ID is the leading bytes of the digest of its SubjectPublicKeyInfo,
/// carrying a proof of work when the overlay asks for one. Weaker than enrollment: anyone can
/// make as many identities as CPU time allows, user names are not protected, and nothing can
/// be revoked. Writes the files `p2psip enroll` writes (key.pem 0600, cert.pem), and, when DIR
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
        Console.out("  proof of work: \(parameters.policy.workBits) leading zero bits, found in \(elapsed) ms")
        Console.out("  key and certificate in \(directory.path)")
        Console.out("note: weaker than enrollment: anyone can make such identities (the proof of work only makes each "
            + "cost CPU time), user names are not protected, and none can be revoked")
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
