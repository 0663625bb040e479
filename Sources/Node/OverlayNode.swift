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
public final class OverlayNode<Backend: RecordBackend> {
    public typealias Phase = NodePhase

    public let identity: NodeIdentity
    public let configuration: NodeConfiguration
    let codec: CodecConfiguration
    let verifier: IdentityVerifier
    let random: RandomGenerator
    public internal(set) var chord: ChordTable
    var links: LinkTable
    /// Requests under way and answers sent lately (§6.2.1).
    var transactions: Transactions
    public internal(set) var counters = NodeCounters()
    public internal(set) var phase: Phase = .idle
    var startedAt: NodeTime
    /// Where other nodes reach us (our No-ICE candidates, §6.5.1.11).
    let ownCandidates: [IpAddressPort]
    let bootstrapAddresses: [IpAddressPort]
    var outbox: [NodeAction] = []
    var nextHandle: UInt64 = 1
    var join = JoinProgress()
    var attaches = AttachState()
    var maintenance = MaintenanceState()
    var loopbackDepth = 0
    /// The records this node holds (§7): as the responsible peer or as a replica (§10.4).
    public internal(set) var records: DataStore<Backend>
    /// Hand-offs and resync of the records (§10.4, §10.7.3).
    var replication: Replication
    /// Local Fetches under way (`fetch`), at most one per request in flight or per answer
    /// waiting for certificate lookups.
    var fetches: [RequestHandle: FetchProgress] = [:]
    /// storage_time of the last value this node signed: strictly increasing (§7: a Store with
    /// a storage_time not newer than the stored one is refused).
    var lastStorageTime: UInt64 = 0
    /// Certificates verified lately, our CERTIFICATE_BY_NODE and the lookups of others' (§8).
    var certificates: CertificateService
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
        chord = ChordTable(
            selfId: RingId(bytes: identity.nodeId.bytes)!, successors: configuration.successors,
            predecessors: configuration.predecessors, fingers: configuration.fingers)
        links = LinkTable(capacity: configuration.maximumLinks)
        transactions = Transactions(configuration: configuration)
        startedAt = now
        self.ownCandidates = ownCandidates
        self.bootstrapAddresses = bootstrapAddresses
        records = DataStore(
            backend: backend, kinds: configuration.kinds, quota: configuration.storageQuota,
            nodeIdLength: NodeConfiguration.nodeIdLength)
        replication = Replication(configuration: configuration, random: random)
        certificates = CertificateService(
            configuration: configuration, own: identity.certificateChain[0], verifier: verifier, random: random, now: now)
    }

    public var nodeId: NodeId { identity.nodeId }

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
            }
        }
    }

    /// A millisecond later than the last storage_time when the clock has not moved on.
    func nextStorageTime(_ now: NodeTime) -> UInt64 {
        lastStorageTime = max(now.wallMilliseconds, lastStorageTime + 1)
        return lastStorageTime
    }

    func uptimeSeconds(_ now: NodeTime) -> UInt32 {
        return UInt32(truncatingIfNeeded: now.monotonic.milliseconds(since: startedAt.monotonic) / 1000)
    }

    func ring(_ nodeId: NodeId) -> RingId {
        return RingId(bytes: nodeId.bytes)!
    }

    func nodeId(_ ring: RingId) -> NodeId {
        return NodeId(bytes: ring.bytes)!
    }

    func randomTransactionId() -> UInt64 {
        var value: UInt64 = 0
        for byte in (try? random.bytes(8)) ?? [] { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Jitter in [0, spread) milliseconds (§10.7.4.1: "randomly offset these Update requests").
    func jitter(_ spread: UInt64) -> UInt64 {
        guard spread > 0 else { return 0 }
        return (try? random.uniform(below: spread)) ?? 0
    }

    /// When `tick` must be called next.
    public var nextDeadline: Instant? {
        var deadlines: [Instant] = []
        if let deadline = transactions.nextDeadline { deadlines.append(deadline) }
        if let deadline = join.deadline { deadlines.append(deadline) }
        if let deadline = join.retryAt { deadlines.append(deadline) }
        if let deadline = attaches.nextDeadline { deadlines.append(deadline) }
        if let deadline = maintenance.nextDeadline(phase: phase) { deadlines.append(deadline) }
        if phase == .joined, let deadline = replication.nextWork { deadlines.append(deadline) }
        if phase == .joined, let deadline = certificates.nextPublication { deadlines.append(deadline) }
        return deadlines.min()
    }
}
