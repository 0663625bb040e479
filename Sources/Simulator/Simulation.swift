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
        public var alive = true
        var scheduledTick: Instant?
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
    var links: [LinkId: SimulatedLink] = [:]
    var nextLink: LinkId = 1
    var events = EventQueue<Event>()
    var random: SimulationRandom
    public internal(set) var now: Instant = Instant(nanoseconds: 1_000_000_000)
    /// The wall clock at simulated time zero: 2026-09-21, for certificate validity.
    static let wallBase = WallTime(secondsSince1970: 1_790_000_000)
    public var logLevel: LogLevel = .warn
    public internal(set) var messagesDelivered = 0
    public internal(set) var messagesLost = 0
    /// Attack tests: rewrites every message a node sends (sender index, bytes) before the
    /// network carries it, e.g. a malicious responsible peer altering its FetchAns.
    public var tamper: ((Int, [UInt8]) -> [UInt8])? = nil

    public init(seed: UInt64, network: SimulatedNetwork, configuration: NodeConfiguration) throws(CryptoError) {
        self.seed = seed
        self.network = network
        self.configuration = configuration
        random = SimulationRandom(seed: seed)
        let pkiRandom = try RandomGenerator(source: .fixed(random.bytes(RandomGenerator.minimumFixedSeedBytes)))
        pki = try SimulatedPKI(overlay: configuration.overlayName, random: pkiRandom, now: Simulation.wallBase)
    }

    public var time: NodeTime { Simulation.time(at: now) }

    /// Both simulated clocks at `now`: the wall clock runs with the monotonic one from `wallBase`.
    static func time(at now: Instant) -> NodeTime {
        NodeTime(monotonic: now, wall: Simulation.wallBase.adding(milliseconds: Int64(clamping: now.nanoseconds / 1_000_000)))
    }

    public static func address(of index: Int) -> IpAddressPort {
        return .ipv4(10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index), port: 6084)
    }

    /// Adds a node; node 0 starts the overlay, the others join through `bootstrap` nodes. Its
    /// Node-ID is random unless `nodeId` is given (to place it at a point of the ring).
    @discardableResult
    public func addNode(bootstrap: [Int] = [0], nodeId: [UInt8]? = nil) throws(CryptoError) -> Int {
        let index = nodes.count
        let identity = try pki.makeIdentity(user: "node\(index)@\(configuration.overlayName)", nodeId: nodeId)
        try startNode(index: index, identity: identity, bootstrap: bootstrap)
        return index
    }

    func startNode(index: Int, identity: NodeIdentity, bootstrap: [Int], backend: InMemoryBackend = InMemoryBackend()) throws(CryptoError) {
        var nodeConfiguration = configuration
        nodeConfiguration.mayStartOverlay = index == 0
        let nodeRandom = try RandomGenerator(source: .fixed(random.bytes(RandomGenerator.minimumFixedSeedBytes)))
        let node = OverlayNode(
            identity: identity, configuration: nodeConfiguration, verifier: try pki.makeVerifier(), random: nodeRandom,
            ownCandidates: [Simulation.address(of: index)], bootstrapAddresses: bootstrap.map { Simulation.address(of: $0) },
            now: time, backend: backend)
        let entry = SimulatedNode(node: node, identity: identity, address: Simulation.address(of: index))
        if index < nodes.count { nodes[index] = entry } else { nodes.append(entry) }
        perform(node.start(now: time), by: index)
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
