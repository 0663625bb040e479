import Config
import Crypto
import Wire

extension CAInitAuthority {
    /// USER-DATA: a general-purpose kind so that every user has a small record store of their
    /// own (issue 6): a dictionary only its owner writes (USER-MATCH). Its Kind-ID is the first
    /// of RFC 6940 §14.6's private-use range (0xf0000001-0xfffffffe), which a configuration
    /// names by `id` (§11.1: "the id is an integer Kind-ID allocated out of private space").
    public static let userDataKindId: UInt32 = 0xF000_0001

    /// The kinds members must support (§11.1 required-kinds). The IANA kinds carry the data
    /// model and access control of their registrations (§11.1: they "MUST match"):
    /// SIP-REGISTRATION (RFC 7904 §7: dictionary keyed by Node-ID, USER-NODE-MATCH),
    /// CERTIFICATE_BY_NODE (§8: array, NODE-MATCH), CERTIFICATE_BY_USER (§8: array, USER-MATCH).
    public static var requiredKinds: [KindDefinition] { [
        KindDefinition(identifier: .name("SIP-REGISTRATION"), dataModel: .dictionary, accessControl: .userNodeMatch,
                       maxCount: 16, maxSize: 1024),
        KindDefinition(identifier: .name("CERTIFICATE_BY_NODE"), dataModel: .array, accessControl: .nodeMatch,
                       maxCount: 4, maxSize: 4096),
        KindDefinition(identifier: .name("CERTIFICATE_BY_USER"), dataModel: .array, accessControl: .userMatch,
                       maxCount: 16, maxSize: 4096),
        KindDefinition(identifier: .id(userDataKindId), dataModel: .dictionary, accessControl: .userMatch,
                       maxCount: 64, maxSize: 1024),
    ] }

    /// The overlay configuration (§11.1) with our profile's values: No-ICE links (the README's
    /// profile), 16-byte Node-IDs, the RFC's defaults for message size, TTL and the
    /// reliability timer, and "TLS" as overlay-link-protocol: the one value of the IANA
    /// registry (§14.11), which "refers to the use of TLS and DTLS".
    public func configuration(_ options: CAInitParameters, now: WallTime) -> OverlayConfiguration {
        var configuration = OverlayConfiguration(instanceName: options.overlay)
        configuration.sequence = 1
        configuration.expiresAtSeconds = now.adding(seconds: options.configurationDays * 86_400).secondsSince1970
        configuration.nodeIdLength = options.nodeIdLength
        configuration.rootCertificates = [root.certificate.der]
        configuration.enrollmentServers = [options.enrollmentURL]
        if options.selfSignedPermitted {
            configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: "sha256")
            configuration.selfSignedWorkBits = options.proofOfWorkBits
            configuration.selfSignedNodeIds = options.selfSignedNodeIds
        }
        configuration.bootstrapNodes = options.bootstrap
        configuration.noICE = true
        configuration.maxMessageSize = 5000
        configuration.initialTTL = 100
        configuration.overlayReliabilityTimerMilliseconds = 3000
        configuration.overlayLinkProtocols = ["TLS"]
        configuration.chordUpdateIntervalSeconds = options.chordUpdateIntervalSeconds
        configuration.configurationSigners = [signerNodeId]
        configuration.kindSigners = [signerNodeId]
        configuration.requiredKinds = CAInitAuthority.requiredKinds
        return configuration
    }

    /// The signed document, checked the way `p2psip enroll` will check it before it is written.
    public func signedConfiguration(_ options: CAInitParameters, now: WallTime, random: RandomGenerator) throws(CAError) -> [UInt8] {
        let configuration = configuration(options, now: now)
        let document: [UInt8]
        do throws(EnrollmentError) {
            document = try ConfigurationSignature.signedDocument(
                configuration, key: signerKey, certificate: signerCertificate, using: random)
        } catch {
            throw CAError("configuration document: \(error.description)")
        }
        let signed: SignedConfiguration
        do throws(OverlayConfigError) {
            signed = try OverlayDocument.parse(document).configurations[0]
        } catch {
            throw CAError("configuration document does not read back: \(error.description)")
        }
        guard signed.configuration == configuration else { throw CAError("configuration document does not read back") }
        do throws(EnrollmentError) {
            let verifier = try OverlayTrust.verifier(for: configuration)
            try ConfigurationSignature.verify(signed, verifier: verifier, now: now.civilTime)
        } catch {
            throw CAError("configuration document: \(error.description)")
        }
        return document
    }
}
