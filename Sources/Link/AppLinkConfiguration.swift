import Wire

/// What an `AppLinkManager` needs: the DTLS configurations of both roles and its bounds.
public struct AppLinkConfiguration {
    /// DTLS client configuration for the connections we open (we answered an AppAttach,
    /// RFC 6940 §6.5.1.13: "The other node MUST be the TLS client").
    public var client: SecureSessionConfiguration
    /// DTLS server configuration for the connections peers open to us (cookies, RFC 6347
    /// §4.2.1; we sent the AppAttach and are the TLS server).
    public var server: SecureSessionConfiguration
    /// Connections at once, in any state.
    public var maximumLinks: Int
    /// Handshakes in progress at once, both directions.
    public var maximumHandshakes: Int
    /// Datagrams held per connection while its handshake runs.
    public var queueCapacity: Int
    /// A connection that delivered nothing for this long is closed (RFC 7904 §5.2: keeping a
    /// connection alive is the application's business; an unused one costs a slot).
    public var idleTimeoutMilliseconds: UInt64
    /// A datagram sent with `expectingReply` (a SIP request other than ACK) and nothing at all
    /// received since for this long: the other end has lost the association (it restarted),
    /// and the connection fails, so that the next use sets up a new one.
    public var replyTimeoutMilliseconds: UInt64

    public init(
        client: SecureSessionConfiguration, server: SecureSessionConfiguration, maximumLinks: Int = LinkLimits.defaultAppLinks,
        maximumHandshakes: Int = LinkLimits.defaultHalfOpenLimit, queueCapacity: Int = LinkLimits.defaultAppLinkQueueCapacity,
        idleTimeoutMilliseconds: UInt64 = LinkLimits.defaultAppLinkIdleMilliseconds,
        replyTimeoutMilliseconds: UInt64 = LinkLimits.defaultAppLinkReplyMilliseconds
    ) {
        self.client = client
        self.server = server
        self.maximumLinks = maximumLinks
        self.maximumHandshakes = maximumHandshakes
        self.queueCapacity = queueCapacity
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        self.replyTimeoutMilliseconds = replyTimeoutMilliseconds
    }

    /// nil when usable, else what is wrong.
    public var problem: String? {
        if client.role != .client || client.transport != .datagram { return "the client configuration must be a DTLS client" }
        if server.role != .server || server.transport != .datagram { return "the server configuration must be a DTLS server" }
        if maximumLinks < 1 || maximumLinks > LinkLimits.maximumConnectionTableCapacity {
            return "application links \(maximumLinks) (1...\(LinkLimits.maximumConnectionTableCapacity))"
        }
        if maximumHandshakes < 1 || maximumHandshakes > min(maximumLinks, LinkLimits.maximumHalfOpenLimit) {
            return "application handshakes \(maximumHandshakes) (1...links)"
        }
        if queueCapacity < 1 || queueCapacity > LinkLimits.maximumAppLinkQueueCapacity {
            return "application link queue \(queueCapacity) (1...\(LinkLimits.maximumAppLinkQueueCapacity))"
        }
        if idleTimeoutMilliseconds < 1_000 || replyTimeoutMilliseconds < 500 { return "application link timers too short" }
        return nil
    }
}

/// What the owner of an `AppLinkManager` must do after a call, in order.
public enum AppLinkEvent: Equatable {
    /// Send this datagram to `to` from the application socket.
    case transmit([UInt8], to: PeerAddress)
    /// A connection is up: check the chain and its Node-ID now (RFC 6940 §6.5.1.11: "The
    /// certificate exchanged during the TLS or DTLS handshake MUST match the node which sent
    /// the AttachReqAns"), and `close` it if refused. `inbound` when the peer opened it.
    case established(PeerAddress, PeerCertificateChain, inbound: Bool)
    /// One application datagram (one DTLS record's plaintext) from the peer at the address.
    case delivered([UInt8], from: PeerAddress)
    /// The connection failed and was removed; what was queued on it is gone.
    case failed(PeerAddress, LinkFailure, LinkEnding)
    /// The connection was closed (by us, the peer, or the idle timer) and removed.
    case closed(PeerAddress, LinkEnding)
    /// An NSS key log line.
    case keyLog(String)
}

/// What an AppLinkManager did.
public struct AppLinkCounters: Equatable, Sendable {
    public var linksConnected: UInt64 = 0
    public var linksAccepted: UInt64 = 0
    public var linksEstablished: UInt64 = 0
    public var linksFailed: UInt64 = 0
    public var linksClosed: UInt64 = 0
    /// Connections closed after `idleTimeoutMilliseconds` without a datagram.
    public var linksIdle: UInt64 = 0
    /// Connections failed after `replyTimeoutMilliseconds` without an answer.
    public var linksUnanswered: UInt64 = 0
    /// A new handshake from the address of a connection replaced it (the peer restarted).
    public var linksReplaced: UInt64 = 0
    /// Both sides opened at once: our handshake kept, or ours gave way to theirs.
    public var simultaneousOpensKept: UInt64 = 0
    public var simultaneousOpensYielded: UInt64 = 0
    public var datagramsSent: UInt64 = 0
    /// Datagrams sent again because nothing came back (AppLink's Timer A).
    public var datagramsRetransmitted: UInt64 = 0
    public var datagramsDelivered: UInt64 = 0
    /// Datagrams from addresses without a connection dropped because the table is full.
    public var droppedTableFull: UInt64 = 0
    public var malformedClientHellosDropped: UInt64 = 0

    public init() {}
}
