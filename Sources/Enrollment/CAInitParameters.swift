import Config

/// What `ca init` is asked for (RFC 6940 §11.1 configuration values and the §11.3 server's
/// names), already checked by whoever parsed the command line.
public struct CAInitParameters: Equatable {
    /// The overlay name: the configuration's instance-name, the server certificate's DNS name.
    public var overlay: String
    /// IP addresses (4 or 16 bytes) for the server certificate, so clients may connect by
    /// address (an unspecified listen address adds none).
    public var serverAddresses: [[UInt8]] = []
    public var serverNames: [String] = []
    public var bootstrap: [BootstrapNode] = []
    public var enrollmentURL: String
    public var selfSignedPermitted = false
    /// The self-signed identities' proof of work and Node-IDs per certificate (§11.3.1), the
    /// configuration's safe defaults unless asked otherwise.
    public var proofOfWorkBits = OverlayConfiguration.defaultSelfSignedWorkBits
    public var selfSignedNodeIds = OverlayConfiguration.defaultSelfSignedNodeIds
    public var nodeIdLength = 16
    public var validityDays: Int64 = 3650
    public var configurationDays: Int64 = 365
    /// §10.7.4.1 chord-update-interval: the periodic Update to the neighbors.
    public var chordUpdateIntervalSeconds = 600

    public init(overlay: String, enrollmentURL: String) {
        self.overlay = overlay
        self.enrollmentURL = enrollmentURL
    }
}
