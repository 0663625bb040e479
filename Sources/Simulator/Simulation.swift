import Crypto
import Node
import Reload
import Storage
import Wire

/// Many OverlayNodes in one process on a simulated network and clock: the real Node code,
/// real signatures, a seeded network that loses, duplicates, delays and reorders messages.
/// The same seed gives the same run.
public final class Simulation: EventDriven {
    enum Event {
        case deliver(node: Int, link: LinkId, message: [UInt8])
        case linkUp(node: Int, link: LinkId, peer: Int, inbound: Bool)
        case linkDown(node: Int, link: LinkId)
        case connectFailed(node: Int, address: IpAddressPort, expected: NodeId?)
        case tick(node: Int)
    }

    public struct SimulatedNode {
        public var node: OverlayNode<InMemoryBackend>
        public let identity: NodeIdentity
        public let address: IpAddressPort
        /// The node's verifier: revocation lists are installed here.
        public let verifier: IdentityVerifier
        public var alive = true
        /// What this node does when it is an attacker (Attackers.swift); nil for honest nodes.
        public var attack: Scenario.AttackerKind? = nil
        var scheduledTick: Instant?
        /// Ticks in a row after which this node's deadline had not moved on.
        var spins = 0
        public var completions: [RequestHandle: RequestResult] = [:]
        /// `.openAppLink` actions (AppAttaches this node answered, RFC 6940 §6.5.2), in order.
        public var appLinksToOpen: [NodeAction] = []
    }

    struct SimulatedLink {
        let a: Int
        let b: Int
        var open = true
        func other(_ node: Int) -> Int { node == a ? b : a }
    }

    public let seed: UInt64
    public let network: SimulatedNetwork
    public let pki: SimulatedPKI
    public var configuration: NodeConfiguration
    public internal(set) var nodes: [SimulatedNode] = []
    /// The open links; a link leaves this table when it closes (events for it are then dropped).
    var links: [LinkId: SimulatedLink] = [:]
    /// The open link of each pair of nodes (one DTLS association per address pair), and the
    /// open links of each node: connects and kills must not scan all links of 10,000 nodes.
    var linkOfPair: [UInt64: LinkId] = [:]
    var linksOfNode: [Int: Set<LinkId>] = [:]
    /// Node index by Node-ID (identities are unique in a run).
    public internal(set) var indexOfNodeId: [NodeId: Int] = [:]
    var nextLink: LinkId = 1
    /// Nodes whose certificates the CA revoked: not expected in the ring (`sortedLive`).
    public var revokedNodes: Set<Int> = []
    /// Set by the first revocation list a node installs (see `accepts`).
    public internal(set) var identitiesMayBeRefused = false
    /// Each node's certificate chain, parsed once when links begin to be checked.
    var parsedChains: [Int: [Certificate]] = [:]
    var events = EventQueue<Event>()
    var random: SimulationRandom
    public internal(set) var now: Instant = Instant(nanoseconds: 1_000_000_000)
    /// The wall clock at simulated time zero: 2026-09-21, for certificate validity.
    static let wallBase = WallTime(secondsSince1970: 1_790_000_000)
    public var logLevel: LogLevel = .warn
    public internal(set) var messagesDelivered = 0
    public internal(set) var messagesLost = 0
    /// Events the simulation handled (deliveries, link changes, timer ticks).
    public internal(set) var eventsHandled: UInt64 = 0
    /// Every message the network carried, by purpose.
    public internal(set) var traffic = MessageTraffic()
    /// Attack tests: rewrites every message a node sends (sender index, bytes) before the
    /// network carries it, e.g. a malicious responsible peer altering its FetchAns.
    public var tamper: ((Int, [UInt8]) -> [UInt8])? = nil
    /// When set, a node's `.completed` actions go here (node, handle, result) instead of into
    /// its `completions` table, which a long run must not let grow.
    public var completionHandler: ((Int, RequestHandle, RequestResult) -> Void)? = nil
    /// When set, sees every message delivered (receiving node, bytes) before the node does:
    /// the scenario runner's hop counts.
    public var deliveryObserver: ((Int, [UInt8]) -> Void)? = nil
    /// What attackers saw, to replay it later (Attackers.swift), bounded per attacker.
    var captured: [Int: [[UInt8]]] = [:]

    public init(
        seed: UInt64, network: SimulatedNetwork, configuration: NodeConfiguration, crypto: SimulatedCryptoMode = .real
    ) throws(CryptoError) {
        self.seed = seed
        self.network = network
        self.configuration = configuration
        random = SimulationRandom(seed: seed)
        let pkiRandom = try RandomGenerator(source: .fixed(random.bytes(RandomGenerator.minimumFixedSeedBytes)))
        pki = try SimulatedPKI(overlay: configuration.overlayName, random: pkiRandom, now: Simulation.wallBase, mode: crypto)
    }

    public var time: NodeTime { Simulation.time(at: now) }

    /// Both simulated clocks at `now`: the wall clock runs with the monotonic one from `wallBase`.
    static func time(at now: Instant) -> NodeTime {
        NodeTime(monotonic: now, wall: Simulation.wallBase.adding(milliseconds: Int64(clamping: now.nanoseconds / 1_000_000)))
    }

    public static func address(of index: Int) -> IpAddressPort {
        return .ipv4(10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index), port: 6084)
    }

    /// The node index `address(of:)` gave this address, if it is one of them.
    static func index(of address: IpAddressPort) -> Int? {
        guard address.port == 6084, case .ipv4(let value) = address.address, value >> 24 == 10 else { return nil }
        return Int(value & 0xFF_FFFF)
    }

    /// At most 2^24 nodes: the 10.0.0.0/8 addresses.
    public static let maximumNodes = 1 << 24
    /// Ticks after which a node's next deadline had not moved past the clock (see `handle`).
    public internal(set) var spinningTicks = 0
    /// The first node that spun for more than `maximumSpins` ticks in a row, described.
    public internal(set) var firstSpin: String? = nil
    public static let maximumSpins = 10

    /// Adds a node; node 0 starts the overlay, the others join through `bootstrap` nodes. Its
    /// Node-ID is random unless `nodeId` is given (to place it at a point of the ring).
    @discardableResult
    public func addNode(bootstrap: [Int] = [0], nodeId: [UInt8]? = nil, user: String? = nil) throws(CryptoError) -> Int {
        let index = nodes.count
        precondition(index < Simulation.maximumNodes)
        let identity = try pki.makeIdentity(user: user ?? "node\(index)@\(configuration.overlayName)", nodeId: nodeId)
        try startNode(index: index, identity: identity, bootstrap: bootstrap)
        return index
    }

    func startNode(index: Int, identity: NodeIdentity, bootstrap: [Int], backend: InMemoryBackend = InMemoryBackend()) throws(CryptoError) {
        var nodeConfiguration = configuration
        nodeConfiguration.mayStartOverlay = index == 0
        let nodeRandom = try RandomGenerator(source: .fixed(random.bytes(RandomGenerator.minimumFixedSeedBytes)))
        let verifier = try pki.makeVerifier()
        let node = OverlayNode(
            identity: identity, configuration: nodeConfiguration, verifier: verifier, random: nodeRandom,
            ownCandidates: [Simulation.address(of: index)], bootstrapAddresses: bootstrap.map { Simulation.address(of: $0) },
            now: time, backend: backend)
        var entry = SimulatedNode(node: node, identity: identity, address: Simulation.address(of: index), verifier: verifier)
        indexOfNodeId[identity.nodeId] = index
        if index < nodes.count {
            entry.attack = nodes[index].attack
            nodes[index] = entry
        } else {
            nodes.append(entry)
        }
        perform(node.start(now: time), by: index)
    }

    /// Runs until the clock reads `time` (at once if it already does).
    public func run(until time: Instant) {
        guard now < time else { return }
        run(milliseconds: UInt64((time.nanoseconds - now.nanoseconds) / 1_000_000))
    }

    /// Runs for `milliseconds` of simulated time.
    public func run(milliseconds: UInt64) {
        _ = runEvents(milliseconds: milliseconds) { false }
    }

    /// Runs until `condition` holds (checked after every event) or `milliseconds` pass.
    @discardableResult
    public func run(milliseconds: UInt64, until condition: () -> Bool) -> Bool {
        runEvents(milliseconds: milliseconds, until: condition)
    }
}
