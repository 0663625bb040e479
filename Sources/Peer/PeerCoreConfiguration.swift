import Link
import Node
import Reload
import SIPUsage

/// What the peer core is told at start, every value checked by whoever built it (the
/// executable from the board configuration, the overlay configuration and the command line;
/// the simulator from its scenario).
public struct PeerCoreConfiguration {
    /// The overlay's protocol parameters and the board's table sizes.
    public var node: NodeConfiguration
    /// Where other peers reach us: our No-ICE candidate (RFC 6940 §6.5.1.11).
    public var advertise: IpAddressPort
    /// Bootstrap nodes (§11.4); our own address is left out.
    public var bootstrap: [IpAddressPort]
    /// Overlay links at once, and handshakes among them (board max-links, max-handshakes).
    public var maximumLinks: Int
    public var maximumHandshakes: Int
    /// What one source of inbound handshakes may do (board handshakes-per-source,
    /// handshake-rate, handshake-burst, half-open-ms, identity-ban-ms).
    public var handshakeSourceLimits: HandshakeSourceLimits
    /// NSS key log lines for the DTLS sessions (`--keylog`).
    public var keyLog: Bool
    /// The SIP usage (RFC 7904), or nil for a peer without phones.
    public var sip: SIPUsageConfiguration?

    public init(
        node: NodeConfiguration, advertise: IpAddressPort, bootstrap: [IpAddressPort], maximumLinks: Int, maximumHandshakes: Int,
        keyLog: Bool = false, sip: SIPUsageConfiguration? = nil, handshakeSourceLimits: HandshakeSourceLimits = HandshakeSourceLimits()
    ) {
        self.node = node
        self.advertise = advertise
        self.bootstrap = bootstrap.filter { $0 != advertise }
        self.maximumLinks = maximumLinks
        self.maximumHandshakes = min(maximumHandshakes, maximumLinks)
        self.handshakeSourceLimits = handshakeSourceLimits
        self.keyLog = keyLog
        self.sip = sip
    }
}
