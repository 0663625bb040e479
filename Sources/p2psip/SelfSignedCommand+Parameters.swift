import Config
import Crypto
import Platform

extension SelfSignedCommand {
    /// The overlay's parameters: from DIR/reload-config.xml when it is there (it must permit
    /// self-signed identities; options may repeat its values, not contradict them), else from
    /// the options and the RFC's defaults.
    static func parameters(_ options: CommandOptions, directory: IdentityDirectory) throws(CommandFailure) -> Parameters {
        let days = try options.integer("--days", in: 1...3650, default: 365)
        let bits = options.value("--proof-of-work") == nil
            ? nil : Int(try options.integer("--proof-of-work", in: 0...Int64(CryptoLimits.maximumWorkBits), default: 0))
        let length = options.value("--node-id-length") == nil
            ? nil : Int(try options.integer("--node-id-length", in: 16...20, default: 16))
        let digest = try options.value("--digest").map { (text: String) throws(CommandFailure) -> NodeIdDigest in
            switch text {
            case "sha1": return .sha1
            case "sha256": return .sha256
            default: throw .usage("--digest '\(text)': sha1 or sha256 (RFC 6940 §11.1)")
            }
        }
        let path = directory.file(IdentityDirectory.configuration)
        var parameters: Parameters
        if FileSystem.exists(path) {
            parameters = try fromConfiguration(path, overlay: options.value("--overlay"), days: days)
            if let bits, bits != parameters.policy.workBits { throw .usage("--proof-of-work \(bits): \(path) asks for \(parameters.policy.workBits)") }
            if let length, length != parameters.nodeIdLength { throw .usage("--node-id-length \(length): \(path) says \(parameters.nodeIdLength)") }
            if let digest, digest != parameters.policy.digest { throw .usage("--digest: \(path) names the other digest") }
        } else {
            let overlay = options.value("--overlay") ?? defaultOverlay
            guard UserName.isValid("x@" + overlay) else { throw .usage("--overlay '\(overlay)' is not a DNS-style name") }
            let policy = SelfSignedPolicy(digest: digest ?? .sha256, workBits: bits ?? OverlayConfiguration.defaultSelfSignedWorkBits)
            parameters = Parameters(
                overlay: overlay, userName: "", nodeIdLength: length ?? 16, policy: policy, days: days,
                configuration: adHocConfiguration(overlay: overlay, nodeIdLength: length ?? 16, policy: policy))
        }
        let user = try options.required("--user")
        parameters.userName = user.utf8.contains(UInt8(ascii: "@")) ? user : user + "@" + parameters.overlay
        guard UserName.isValid(parameters.userName) else {
            throw .usage("--user '\(user)': the user name \(parameters.userName) is not a plain rfc822Name")
        }
        return parameters
    }

    static func fromConfiguration(_ path: String, overlay: String?, days: Int64) throws(CommandFailure) -> Parameters {
        let bytes: [UInt8]
        do throws(PlatformError) {
            bytes = try FileSystem.readFile(path, maximumBytes: ConfigLimits.maximumDocumentBytes)
        } catch {
            throw .failed(error.description)
        }
        let signed: SignedConfiguration
        do throws(OverlayConfigError) {
            signed = try EnrollCommand.select(try OverlayDocument.parse(bytes), overlay: overlay)
        } catch {
            throw .failed("\(path): \(error.description)")
        }
        let configuration = signed.configuration
        guard let permission = configuration.selfSignedPermitted, permission.permitted else {
            throw .failed("\(path): overlay \(configuration.instanceName) does not permit self-signed identities; use p2psip enroll")
        }
        let digest: NodeIdDigest
        switch permission.digest {
        case "sha1": digest = .sha1
        case "sha256": digest = .sha256
        default: throw .failed("\(path): self-signed-permitted digest \(permission.digest) is not sha1 or sha256")
        }
        return Parameters(
            overlay: configuration.instanceName, userName: "", nodeIdLength: configuration.nodeIdLength,
            policy: SelfSignedPolicy(
                digest: digest, workBits: configuration.selfSignedWorkBits, maximumNodeIds: configuration.selfSignedNodeIds),
            days: days, configuration: nil)
    }

    /// The configuration of an overlay without a CA: self-signed identities only, No-ICE links.
    /// Unsigned (there is no signer); every device of the overlay gets the same bytes from the
    /// same options, and "nodes MUST obtain the configuration information needed to join the
    /// overlay through some out-of-band approach" (§11.2).
    static func adHocConfiguration(overlay: String, nodeIdLength: Int, policy: SelfSignedPolicy) -> OverlayConfiguration {
        var configuration = OverlayConfiguration(instanceName: overlay)
        configuration.sequence = 1
        configuration.nodeIdLength = nodeIdLength
        configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: policy.digest == .sha1 ? "sha1" : "sha256")
        configuration.selfSignedWorkBits = policy.workBits
        configuration.selfSignedNodeIds = policy.maximumNodeIds
        configuration.noICE = true
        configuration.overlayLinkProtocols = ["TLS"]
        return configuration
    }
}
