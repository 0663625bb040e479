import Crypto
import Link
import Node
import Reload
import SIP
import SIPFront
import Storage
import Wire

/// The SIP usage of RELOAD (RFC 7904) in a peer: the SIP front for phones (registrar and
/// proxy, SIPFront), its registrations stored in the overlay and looked up there (the
/// SIP-REGISTRATION Store/Fetch bridge, `SIPUsage+Registrations`), and the SIP connections
/// between peers: DTLS associations set up by AppAttach (RFC 6940 §6.5.2, application 5060,
/// RFC 7904 §5.1) and bound to the Node-ID the other end's certificate proves
/// (`SIPUsage+Connections`). No I/O and no clock: the peer core feeds it datagrams, Node
/// answers and the time, and performs the `SIPUsageOutput`s it returns.
public final class SIPUsage<Backend: RecordBackend> {
    /// SIP messages waiting for a connection to a peer (AppAttach and DTLS handshake under
    /// way): per peer, and peers at once. Over either, the message is dropped (SIP over UDP
    /// retransmits) and counted.
    public static var queuedPerPeer: Int { 16 }
    public static var peersWaiting: Int { 32 }
    /// How long an AppAttach and the connection after it may take before the peer counts as
    /// unreachable (480, RFC 3261 §21.4.18): the Node gives up on a request after five
    /// transmissions (15 s with the default overlay-reliability-timer, RFC 6940 §6.2.1).
    public static var attachMilliseconds: UInt64 { 20_000 }
    /// After the AppAttach answer: the other end opens the connection at once (§6.5.1.13).
    public static var connectAfterAnswerMilliseconds: UInt64 { 10_000 }
    /// How long the removal marker of a registration is kept (it only has to outlive the
    /// value it replaces in caches; the value itself is gone at once).
    public static var removalLifetimeSeconds: UInt32 { 600 }
    /// The last SIP events kept for `sip-events`.
    public static var eventCapacity: Int { 256 }
    /// RFC 7904 §5.1: the AppAttach application of SIP.
    public static var application: UInt16 { SIPFrontLimits.sipApplication }

    public let configuration: SIPUsageConfiguration
    let node: OverlayNode<Backend>
    let authenticator: LinkAuthenticator
    public internal(set) var front: SIPFront
    public let appLinks: AppLinkManager
    /// Node requests the usage started, by what they are for.
    var requests: [RequestHandle: Request] = [:]
    /// Peers we sent an AppAttach to (or that answered one), until their connection comes.
    var attaching: [NodeId: Instant] = [:]
    /// SIP messages for peers without a connection yet.
    var waiting: [NodeId: [[UInt8]]] = [:]
    public internal(set) var counters = SIPUsageCounters()
    /// The last SIP events ("NUMBER WALL-MS TEXT"), for `sip-events`.
    public internal(set) var events: [String] = []
    var eventCount: UInt64 = 0
    var outbox: [SIPUsageOutput] = []

    /// What a Node request of the usage is for.
    enum Request {
        case store(storeId: UInt32, addressOfRecord: String)
        case remove(addressOfRecord: String)
        case lookup(lookupId: UInt32, addressOfRecord: String)
        case appAttach(NodeId)
    }

    /// `node` is the peer's overlay node: the usage starts its Stores, Fetches and AppAttaches.
    public init(
        configuration: SIPUsageConfiguration, node: OverlayNode<Backend>, authenticator: LinkAuthenticator, random: RandomGenerator,
        now: Instant
    ) throws(LinkError) {
        self.configuration = configuration
        self.node = node
        self.authenticator = authenticator
        let secret: [UInt8]
        do throws(CryptoError) {
            secret = try random.bytes(32)
        } catch {
            throw .invalidConfiguration("SIP front secret: \(error.description)")
        }
        appLinks = try SIPUsage.appLinkManager(node.identity, random: random, keyLog: configuration.keyLog, now: now)
        var front = SIPFrontConfiguration(
            domain: Array(configuration.domain.utf8), host: Array(configuration.phoneHost.utf8), port: configuration.phonePort,
            nodeId: node.nodeId, secret: secret, accounts: configuration.accounts)
        front.digestAlgorithms = configuration.digestAlgorithms
        front.budgets = configuration.frontBudgets
        self.front = SIPFront(configuration: front)
        node.serveApplication(SIPUsage.application, candidates: [configuration.appCandidate])
    }

    /// As on overlay links, trust is checked by the usage (the link authenticator and the
    /// Node-ID expected), not by mbedTLS.
    static func appLinkManager(_ identity: NodeIdentity, random: RandomGenerator, keyLog: Bool, now: Instant) throws(LinkError) -> AppLinkManager {
        let (client, server) = try SecureSessionConfiguration.peerPair(
            certificateDER: identity.certificateChain[0], privateKey: identity.privateKey, random: random,
            datagramMTU: LinkLimits.appLinkDatagramMTU, keyLog: keyLog)
        return try AppLinkManager(configuration: AppLinkConfiguration(client: client, server: server), now: now)
    }

    /// Returns and clears what the last calls asked for.
    func drain() -> [SIPUsageOutput] {
        let outputs = outbox
        outbox.removeAll(keepingCapacity: true)
        return outputs
    }

    /// The front's clock: the wall clock to the second (SIP counts whole seconds and digest
    /// nonces carry them), so that the front's timers fire on the second.
    static func frontTime(_ now: NodeTime) -> WallTime { WallTime(secondsSince1970: now.wall.secondsSince1970) }

    /// A phone sent a datagram to the phones' socket.
    public func receive(fromPhone bytes: [UInt8], from phone: PhoneAddress, now: NodeTime) -> [SIPUsageOutput] {
        counters.phoneDatagramsIn += 1
        if !SIPUsage.isResponse(bytes) { log(.debug, "SIP from phone \(SIPUsage.text(phone)): \(SIPUsage.firstLine(bytes))") }
        perform(front.receive(datagram: bytes, from: phone, now: SIPUsage.frontTime(now)), now: now)
        return drain()
    }

    /// The front's timers and the AppAttaches that took too long.
    public func tick(now: NodeTime) -> [SIPUsageOutput] {
        let frontNow = SIPUsage.frontTime(now)
        if let deadline = front.nextDeadline, deadline <= frontNow { perform(front.tick(now: frontNow), now: now) }
        if let deadline = appLinks.nextDeadline, deadline <= now.monotonic { handle(appLinks.tick(now: now.monotonic), now: now) }
        expireAttaches(now)
        return drain()
    }

    /// When `tick` has work next.
    public func nextDeadline(now: NodeTime) -> Instant? {
        var deadlines: [Instant] = []
        if let deadline = front.nextDeadline {
            deadlines.append(now.monotonic.adding(milliseconds: deadline.milliseconds(since: SIPUsage.frontTime(now))))
        }
        if let deadline = appLinks.nextDeadline { deadlines.append(deadline) }
        if let deadline = attaching.values.min() { deadlines.append(deadline) }
        return deadlines.min()
    }

    /// Shutdown: every SIP connection closed.
    public func closeAll(now: NodeTime) -> [SIPUsageOutput] {
        handle(appLinks.closeAll(now: now.monotonic), now: now)
        return drain()
    }

    /// What the SIP front asked for.
    func perform(_ actions: [SIPFrontAction], now: NodeTime) {
        for action in actions {
            switch action {
            case .sendToPhone(let bytes, let phone):
                if !SIPUsage.isResponse(bytes) { event("SIP to phone \(SIPUsage.text(phone)): \(SIPUsage.firstLine(bytes))", now: now) }
                counters.phoneDatagramsOut += 1
                outbox.append(.toPhone(bytes, phone))
            case .storeRegistration(let store): storeRegistration(store, now: now)
            case .removeRegistration(let addressOfRecord, let key): removeRegistration(addressOfRecord, key: key, now: now)
            case .lookup(let lookup): lookUpRegistration(lookup, now: now)
            case .sendThroughOverlay(let bytes, let peer): sendThroughOverlay(bytes, to: peer, now: now)
            case .log(let level, let text):
                if level == .debug { log(.debug, text) } else { event(text, level: level == .warn ? .warn : .info, now: now) }
            }
        }
    }

    func log(_ level: LogLevel, _ text: String) {
        outbox.append(.log(level, text))
    }

    /// A SIP event: logged, and kept for `sip-events` (the demo shows them; bounded).
    func event(_ text: String, level: LogLevel = .info, now: NodeTime) {
        log(level, text)
        eventCount += 1
        events.append("\(eventCount) \(now.wall.millisecondsSince1970) \(text)")
        if events.count > SIPUsage.eventCapacity { events.removeFirst(events.count - SIPUsage.eventCapacity) }
    }

    /// The printable host and port of a phone ("192.0.2.7:5060", "[2001:db8::7]:5060").
    static func text(_ phone: PhoneAddress) -> String {
        let host = String(decoding: phone.host, as: UTF8.self)
        return host.contains(":") ? "[\(host)]:\(phone.port)" : "\(host):\(phone.port)"
    }

    /// The first line of a SIP message, for the log ("INVITE sip:bob@overlay SIP/2.0").
    static func firstLine(_ bytes: [UInt8]) -> String {
        let end = bytes.prefix(200).firstIndex(of: 0x0D) ?? min(bytes.count, 200)
        let line = bytes[..<end].map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }
        return String(decoding: line, as: UTF8.self)
    }

    static func isResponse(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("SIP/2.0 ".utf8)) }

    /// A request that gets an answer: all but ACK (RFC 3261 §17.1.1.3).
    static func expectsReply(_ bytes: [UInt8]) -> Bool { !isResponse(bytes) && !bytes.starts(with: Array("ACK ".utf8)) }
}

/// What the SIP usage did, for `status`.
public struct SIPUsageCounters: Equatable, Sendable {
    public var phoneDatagramsIn: UInt64 = 0
    public var phoneDatagramsOut: UInt64 = 0
    public var overlayMessagesIn: UInt64 = 0
    public var overlayMessagesOut: UInt64 = 0
    public var appAttachesSent: UInt64 = 0
    public var appAttachesFailed: UInt64 = 0
    public var queuedDropped: UInt64 = 0
    public var connectionsRefused: UInt64 = 0
    public var registrationsStored: UInt64 = 0
    public var registrationsRefused: UInt64 = 0
    public var lookups: UInt64 = 0
    public var lookupsNotFound: UInt64 = 0
}
