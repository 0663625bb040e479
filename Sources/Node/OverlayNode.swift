import Chord
import Crypto
import Reload
import Storage
import Wire

/// Where a node is in its life (RFC 6940 §10.5, §10.9).
public enum NodePhase: Equatable, Sendable {
    case idle
    /// §11.4: connecting to a bootstrap node.
    case bootstrapping
    /// §10.5 steps 2-4: attaching to the admitting peer and the future neighbors.
    case attaching
    /// §10.5 step 5: JoinReq sent to the admitting peer.
    case joining
    /// In the ring.
    case joined
    /// Left the overlay.
    case stopped
}

/// One peer of a CHORD-RELOAD overlay, as a state machine (RFC 6940 §6, §10): it is fed
/// messages that arrived on links, link events and the time, and returns what to do. It does
/// no I/O and reads no clock, so the same code runs in the peer process, in tests and in the
/// simulator with thousands of nodes.
///
/// Links are numbered by the runner (`LinkId`); each carries the identity its certificate
/// proved (the runner verified the chain with the overlay's IdentityVerifier). Every message
/// this node originates is signed; every message destined to it is verified before it is
/// processed (§6.3.4).
///
/// The node is a coordinator of parts that each own their state and decide, without I/O:
/// `topology` (phase, ring, links, join, Attaches, stabilization, Leave), `transactions`
/// (requests under way, retransmission, timeouts, answers sent), `replication` (hand-offs
/// and resync of the records) and `certificates` (the certificate cache, publication,
/// lookups). The node itself routes (§6.1), signs and verifies (§6.3.4), answers requests
/// and carries out what the parts decide as `NodeAction`s.
public final class OverlayNode<Backend: RecordBackend> {
    public typealias Phase = NodePhase

    public let identity: NodeIdentity
    public let configuration: NodeConfiguration
    let codec: CodecConfiguration
    let verifier: IdentityVerifier
    let random: RandomGenerator
    var topology: Topology
    var transactions: Transactions
    var replication: Replication
    var certificates: CertificateService
    /// Budgets and load shedding for requests from others, before verification.
    var admission: RequestAdmission
    public internal(set) var counters = NodeCounters()
    var outbox: [NodeAction] = []
    var nextHandle: UInt64 = 1
    var loopbackDepth = 0
    /// The records this node holds (§7): as the responsible peer or as a replica (§10.4).
    public internal(set) var records: DataStore<Backend>
    /// Local Fetches under way (`fetch`), at most one per request in flight or per answer
    /// waiting for certificate lookups.
    var fetches: [RequestHandle: FetchProgress] = [:]
    /// storage_time of the last value this node signed: strictly increasing (§7: a Store with
    /// a storage_time not newer than the stored one is refused).
    var lastStorageTime = WallTime.epoch
    /// AppAttach (§6.5.2): the applications we serve and our No-ICE candidates for each.
    var applications: [UInt16: [IpAddressPort]] = [:]

    /// `backend` holds the records: LMDB on the boards, memory in the simulator.
    public init(
        identity: NodeIdentity, configuration: NodeConfiguration, verifier: IdentityVerifier,
        random: RandomGenerator, ownCandidates: [IpAddressPort], bootstrapAddresses: [IpAddressPort], now: NodeTime,
        backend: Backend
    ) {
        precondition(identity.nodeId.length == NodeConfiguration.nodeIdLength, "CHORD-RELOAD needs 16-byte Node-IDs")
        self.identity = identity
        self.configuration = configuration
        codec = configuration.codec
        self.verifier = verifier
        self.random = random
        topology = Topology(
            nodeId: identity.nodeId, configuration: configuration, random: random, ownCandidates: ownCandidates,
            bootstrapAddresses: bootstrapAddresses, now: now)
        transactions = Transactions(configuration: configuration)
        replication = Replication(configuration: configuration, random: random)
        admission = RequestAdmission(configuration: configuration)
        certificates = CertificateService(
            configuration: configuration, own: identity.certificateChain[0], verifier: verifier, random: random, now: now)
        records = DataStore(
            backend: backend, kinds: configuration.kinds, quota: configuration.storageQuota,
            nodeIdLength: NodeConfiguration.nodeIdLength)
    }

    public var nodeId: NodeId { identity.nodeId }

    /// The routing table (§10.3): successors, predecessors, fingers.
    public var chord: ChordTable { topology.chord }

    public var phase: Phase { topology.phase }

    /// When `tick` must be called next.
    public var nextDeadline: Instant? {
        var deadlines = [transactions.nextDeadline, topology.nextDeadline]
        if phase == .joined { deadlines += [replication.nextWork, certificates.nextPublication] }
        return deadlines.compactMap { $0 }.min()
    }

    /// Returns and clears what the last calls asked for.
    func drain() -> [NodeAction] {
        let actions = outbox
        outbox.removeAll(keepingCapacity: true)
        return actions
    }

    func log(_ level: LogLevel, _ text: String) {
        outbox.append(.log(level: level, text: text))
    }

    /// What a part reported: logged, or counted as dropped over a bound.
    func take(_ notes: [Note]) {
        for note in notes {
            switch note {
            case .log(let level, let text): log(level, text)
            case .overLimit: counters.droppedOverLimit += 1
            case .connectRefused(.address): counters.connectsRefusedAddress += 1
            case .connectRefused(.budget): counters.connectsRefusedBudget += 1
            case .banned: counters.droppedBanned += 1
            }
        }
    }

    func ring(_ nodeId: NodeId) -> RingId {
        return RingId(bytes: nodeId.bytes)!
    }

    func randomTransactionId() -> UInt64 {
        var value: UInt64 = 0
        for byte in (try? random.bytes(8)) ?? [] { value = value << 8 | UInt64(byte) }
        return value
    }

    /// A millisecond later than the last storage_time when the clock has not moved on; the
    /// storage_time field's value (milliseconds since 1970, §7).
    func nextStorageTime(_ now: NodeTime) -> UInt64 {
        lastStorageTime = max(now.wall, lastStorageTime.adding(milliseconds: 1))
        return lastStorageTime.millisecondsSince1970
    }
}
