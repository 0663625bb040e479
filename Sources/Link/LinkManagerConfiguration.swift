/// What a `LinkManager` needs: the DTLS configurations of both roles (same identity and trust),
/// the overlay link settings, and the board's bounds.
public struct LinkManagerConfiguration {
    /// DTLS client configuration for the links this peer opens (`connect`).
    public var client: SecureSessionConfiguration
    /// DTLS server configuration for the links peers open to us (cookies, RFC 6347 §4.2.1).
    public var server: SecureSessionConfiguration
    public var link: OverlayLinkConfiguration
    /// Board configuration `max-links`: links at once, in any state.
    public var maximumLinks: Int
    /// Board configuration `max-handshakes`: handshakes in progress at once, both directions.
    public var maximumHandshakes: Int
    /// What one source of inbound handshakes may do (per-host caps, token bucket, half-open
    /// lifetime, eviction age, identity bans).
    public var sourceLimits: HandshakeSourceLimits

    public init(
        client: SecureSessionConfiguration, server: SecureSessionConfiguration, link: OverlayLinkConfiguration = OverlayLinkConfiguration(),
        maximumLinks: Int = 64, maximumHandshakes: Int = LinkLimits.defaultHalfOpenLimit,
        sourceLimits: HandshakeSourceLimits = HandshakeSourceLimits()
    ) {
        self.client = client
        self.server = server
        self.link = link
        self.maximumLinks = maximumLinks
        self.maximumHandshakes = maximumHandshakes
        self.sourceLimits = sourceLimits
    }

    /// nil when usable, else what is wrong.
    public var problem: String? {
        if client.role != .client || client.transport != .datagram { return "the client configuration must be a DTLS client" }
        if server.role != .server || server.transport != .datagram { return "the server configuration must be a DTLS server" }
        if maximumLinks < 1 || maximumLinks > LinkLimits.maximumConnectionTableCapacity {
            return "max-links \(maximumLinks) (1...\(LinkLimits.maximumConnectionTableCapacity))"
        }
        if maximumHandshakes < 1 || maximumHandshakes > min(maximumLinks, LinkLimits.maximumHalfOpenLimit) {
            return "max-handshakes \(maximumHandshakes) (1...max-links)"
        }
        if let problem = sourceLimits.problem { return problem }
        return link.problem(datagramMTU: client.datagramMTU) ?? link.problem(datagramMTU: server.datagramMTU)
    }
}
