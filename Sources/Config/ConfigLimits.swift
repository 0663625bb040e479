/// Limits of the Config module, in one place. Spec constants (RFC 6940 §11.1) apart from our
/// implementation limits; ConfigLimitsTests checks the relations between them.
public enum ConfigLimits {
    // MARK: Spec constants (RFC 6940 §11.1)

    public static let nodeIdLengthRange = 16...20
    /// "A monotonically increasing sequence number between 0 and 2^16-2."
    public static let sequenceRange = 0...65534
    /// "The value MUST be at least 200 milliseconds."
    public static let minimumOverlayReliabilityTimerMilliseconds = 200
    /// The TTL of the forwarding header is a uint8 (§6.3.2).
    public static let initialTTLRange = 1...255
    /// turn-density is an xsd:unsignedByte.
    public static let turnDensityRange = 0...255
    public static let defaultBootstrapPort = 6084

    // MARK: XML parser limits

    public static let maximumDocumentBytes = 128 * 1024
    public static let maximumDepth = 16
    public static let maximumElements = 2048
    public static let maximumAttributesPerElement = 16
    public static let maximumNamespaceDeclarationsPerElement = 8
    public static let maximumNameBytes = 64
    public static let maximumAttributeValueBytes = 2048
    /// Character data of one element (a root-cert of an RSA-4096 CA is about 2 KB of base64).
    public static let maximumTextBytes = 16 * 1024
    public static let maximumCommentBytes = 4096

    // MARK: Overlay configuration limits

    public static let maximumConfigurations = 8
    public static let maximumSignaturesPerConfiguration = 4
    public static let maximumRootCertificates = 8
    public static let maximumEnrollmentServers = 8
    public static let maximumBootstrapNodes = 32
    public static let maximumOverlayLinkProtocols = 8
    public static let maximumSigners = 16
    public static let maximumBadNodes = 1024
    public static let maximumMandatoryExtensions = 8
    public static let maximumKinds = 64
    public static let maximumStringBytes = 1024
    public static let maximumSignatureBytes = 4096
    /// Proof-of-work difficulty of our self-signed extension (leading zero bits).
    public static let maximumSelfSignedWorkBits = 40
    /// Node-IDs one self-signed certificate may be allowed (RFC 6940 §11.3.1); the X.509
    /// subjectAltName limit of the identity check is the same.
    public static let maximumSelfSignedNodeIds = 16
}
