/// One `<configuration>` of an overlay configuration document (RFC 6940 §11.1): every
/// parameter of the RELAX NG grammar of §11.1.1, plus overlay-reliability-timer (described in
/// §11.1, missing from the grammar) and our self-signed proof-of-work extension.
///
/// Absent optional elements take the RFC's defaults here, so a parsed configuration is
/// complete; OverlayConfigurationWriter writes every value out, and parsing what it wrote gives
/// an equal value.
public struct OverlayConfiguration: Equatable {
    /// instance-name: the overlay name.
    public var instanceName: String
    /// sequence: 0 to 2^16-2, nil when absent.
    public var sequence: Int?
    /// expiration, in seconds since 1970 (UTC; it may be any RFC 3339 year, before 1970 too);
    /// nil when absent.
    public var expiresAtSeconds: Int64?
    /// topology-plugin (also spelt topology-plug-in in §11.1's prose); default CHORD-RELOAD.
    public var topologyPlugin = "CHORD-RELOAD"
    /// node-id-length in bytes, 16 to 20; default 16.
    public var nodeIdLength = 16
    /// root-cert: DER X.509 trust anchors (base64 in the document).
    public var rootCertificates: [[UInt8]] = []
    /// enrollment-server: https URLs.
    public var enrollmentServers: [String] = []
    /// self-signed-permitted, nil when absent (§11.3.1).
    public var selfSignedPermitted: SelfSignedPermission?
    /// bootstrap-node elements.
    public var bootstrapNodes: [BootstrapNode] = []
    /// turn-density, 0 to 255; default 1.
    public var turnDensity = 1
    /// clients-permitted; default true.
    public var clientsPermitted = true
    /// no-ice; default false.
    public var noICE = false
    /// chord:chord-update-interval in seconds; default 600 (§10.7.4.1: "about every ten minutes").
    public var chordUpdateIntervalSeconds = 600
    /// chord:chord-ping-interval in seconds; default 3600 (§10.7.4.3).
    public var chordPingIntervalSeconds = 3600
    /// chord:chord-reactive; default true.
    public var chordReactive = true
    /// shared-secret (§13.4), nil when absent.
    public var sharedSecret: String?
    /// max-message-size in bytes; default 5000. (xsd:unsignedInt; we take up to 2^31-1, so that
    /// it is an Int on 32-bit boards.)
    public var maxMessageSize = 5000
    /// initial-ttl; default 100.
    public var initialTTL = 100
    /// overlay-reliability-timer in milliseconds, at least 200; default 3000.
    public var overlayReliabilityTimerMilliseconds = 3000
    /// overlay-link-protocol values; default ["TLS"] when none is given.
    public var overlayLinkProtocols = ["TLS"]
    /// kind-signer, configuration-signer, bad-node: Node-IDs (hex in the document).
    public var kindSigners: [[UInt8]] = []
    public var configurationSigners: [[UInt8]] = []
    public var badNodes: [[UInt8]] = []
    /// mandatory-extension: XML namespace names a node must support.
    public var mandatoryExtensions: [String] = []
    /// required-kinds/kind-block/kind.
    public var requiredKinds: [KindDefinition] = []
    /// p2psip:self-signed-work-bits (our extension namespace): the proof of work a self-signed
    /// identity must carry, in leading zero bits; `defaultSelfSignedWorkBits` when absent.
    /// 0 (no proof of work) only when the document says so.
    public var selfSignedWorkBits = OverlayConfiguration.defaultSelfSignedWorkBits
    /// p2psip:self-signed-node-ids (our extension namespace): how many Node-IDs one self-signed
    /// certificate may hold (§11.3.1 allows several); `defaultSelfSignedNodeIds` when absent.
    public var selfSignedNodeIds = OverlayConfiguration.defaultSelfSignedNodeIds

    /// Self-signed mode's safe defaults (§13.3: with no enrollment server, what an identity
    /// costs and how many Node-IDs it buys are the only Sybil defences): a 20-bit proof of work
    /// per key, one Node-ID per certificate. Crypto's SelfSignedPolicy has the same defaults
    /// (EnrollmentTests hold the two together).
    public static let defaultSelfSignedWorkBits = 20
    public static let defaultSelfSignedNodeIds = 1

    public init(instanceName: String) {
        self.instanceName = instanceName
    }

    /// The mandatory extensions (§11.1) not in `supported`: a node must not join an overlay
    /// whose configuration names one of them.
    public func unsupportedMandatoryExtensions(supported: [String]) -> [String] {
        return mandatoryExtensions.filter { !supported.contains($0) }
    }
}
