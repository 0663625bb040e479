import Chord
import Crypto
import Node
import Reload
import Storage
import Wire

/// Runs one full-mode scenario (Scenario.swift) on a Simulation of real OverlayNodes: the peers
/// join over the join phase, then churn, workload, attackers and revocations act for the
/// duration, then a quiet period lets the overlay repair before the checkers look at it.
///
/// The runner keeps its own timeline of what the scenario does (joins, departures, requests,
/// revocations, samples) and runs the simulation up to each of them in turn. Everything comes
/// from the scenario's seed: the same scenario gives the same report.
public final class ScenarioRun {
    enum Action {
        case join(Int)
        case depart(Int)
        case close(Int)
        case rejoin(Int)
        case store
        case fetch
        case sipRegister
        case sipLookup
        case flood(Int)
        case replay(Int)
        case revoke(Int)
        case installRevocations(node: Int, list: Int)
        case sample
        case checkCutOff
    }

    public let scenario: Scenario
    public let simulation: Simulation
    var timeline = EventQueue<Action>()
    var random: SimulationRandom
    let start: Instant
    let measureFrom: Instant
    let measureUntil: Instant
    let end: Instant

    /// Peers 0 ..< bootstrapCount are the bootstrap peers every other peer joins through
    /// (the configuration's bootstrap list, RFC 6940 §11.1); they never churn.
    static let bootstrapCount = 5
    /// Every request the workload starts must finish within this time or it counts as failed.
    static let requestTimeoutMilliseconds: UInt64 = 60_000
    /// A peer installs a new revocation list within this time of its publication (it fetches
    /// it from the enrollment server, RFC 6940 §11.3; uniformly spread).
    public static let revocationFetchWindowMilliseconds: UInt64 = 60_000
    /// How often the runner looks whether revoked peers are cut off.
    static let cutOffCheckMilliseconds: UInt64 = 5_000
    /// A sample (timeline row) every simulated minute.
    static let sampleMilliseconds: UInt64 = 60_000
    /// The kind the store and fetch workload uses: a dictionary under the storing user's
    /// name (USER-MATCH, RFC 6940 §7.3.1), a few keys per user so that values are overwritten.
    public static let workloadKind = KindId(0xF000_0001)
    static let keysPerUser: UInt64 = 4

    /// What each peer is: honest, or an attacker of the scenario's kind.
    public internal(set) var attackers: Set<Int> = []
    /// The eclipsed peer (attackers of kind eclipse surround it), if any.
    public internal(set) var victim: Int? = nil
    /// How many times each peer has (re)started: a request from an earlier life is abandoned.
    var lives: [Int]

    var pending: [PendingKey: PendingRequest] = [:]
    var pendingByTransaction: [UInt64: PendingKey] = [:]
    var records: [RecordKey: RecordHistory] = [:]
    var recordKeys: [RecordKey] = []
    var registrations: [Int: NodeId] = [:]
    var registeredUsers: [Int] = []
    var storeSequence: UInt64 = 0
    var revocationLists: [RevocationList] = []
    var revoked: [(peer: Int, at: Instant, cutOff: Instant?)] = []
    public internal(set) var metrics = ScenarioMetrics()
    /// Told a line at every sample (every simulated minute): for a progress display.
    public var progress: ((String) -> Void)? = nil
    var rows: [String] = []
    /// The crypto operations of this run: the simulated PKI's own count, or with real crypto
    /// the process's (CryptoOperations.counted) since the start.
    var cryptoAtStart = CryptoOperations()
    var cryptoNow: CryptoOperations {
        scenario.crypto == .simulated ? simulation.pki.simulatedOperations : CryptoOperations.counted
    }
    var cryptoSignatures: UInt64 { cryptoNow.signatures - cryptoAtStart.signatures }
    var cryptoVerifications: UInt64 { cryptoNow.verifications - cryptoAtStart.verifications }
    var cryptoChains: UInt64 { cryptoNow.chainVerifications - cryptoAtStart.chainVerifications }
    var lastSample: (time: Instant, traffic: MessageTraffic, lookups: Int, succeeded: Int)

    public init(scenario: Scenario, configuration: NodeConfiguration) throws(CryptoError) {
        precondition(scenario.mode == .full)
        self.scenario = scenario
        var network = SimulatedNetwork()
        network.minimumDelayMilliseconds = scenario.delayMinimumMilliseconds
        network.maximumDelayMilliseconds = max(scenario.delayMaximumMilliseconds, scenario.delayMinimumMilliseconds)
        network.lossPerMillion = UInt64(scenario.loss * 1_000_000)
        network.duplicationPerMillion = UInt64(scenario.duplication * 1_000_000)
        var configuration = configuration
        configuration.replicationFactor = scenario.replicationFactor
        configuration.routingSlotsPerUser = scenario.routingSlotsPerUser
        configuration.misbehaviour.threshold = scenario.misbehaviourThreshold
        var kinds = configuration.kinds
        _ = kinds.add(StorageKind(id: ScenarioRun.workloadKind, model: .dictionary, policy: .userMatch, maxCount: 64, maxSize: 256))
        configuration.kinds = kinds
        simulation = try Simulation(seed: scenario.seed, network: network, configuration: configuration, crypto: scenario.crypto)
        simulation.logLevel = .error
        random = SimulationRandom(seed: scenario.seed ^ 0x5CE7_A210_0000_0001)
        start = simulation.now
        measureFrom = start.adding(milliseconds: scenario.joinMilliseconds)
        measureUntil = measureFrom.adding(milliseconds: scenario.durationMilliseconds)
        end = measureUntil.adding(milliseconds: scenario.quietMilliseconds)
        lives = Array(repeating: 0, count: scenario.peers)
        lastSample = (start, MessageTraffic(), 0, 0)
        simulation.completionHandler = { [unowned self] node, handle, result in self.completed(node, handle, result) }
        simulation.deliveryObserver = { [unowned self] node, message in self.observe(message, at: node) }
    }

    /// Runs the scenario to its end and returns what it measured.
    public func run() throws(CryptoError) -> ScenarioReport {
        cryptoAtStart = cryptoNow
        try chooseAttackers()
        let spacing = scenario.joinMilliseconds / UInt64(max(1, scenario.peers))
        for index in 0..<scenario.peers {
            timeline.push(.join(index), at: start.adding(milliseconds: UInt64(index) * spacing))
        }
        scheduleWorkload()
        for (number, revocation) in scenario.revocations.enumerated() {
            timeline.push(.revoke(number), at: start.adding(milliseconds: revocation.atMilliseconds))
        }
        timeline.push(.sample, at: start.adding(milliseconds: ScenarioRun.sampleMilliseconds))
        while let next = timeline.nextTime, next <= end, let entry = timeline.pop() {
            simulation.run(until: entry.time)
            try perform(entry.event)
        }
        simulation.run(until: end)
        abandonUnfinished()
        return report()
    }

    /// Attackers are chosen among the non-bootstrap peers; eclipse attackers get the Node-IDs
    /// right after and before their victim's, sybils all belong to one user.
    func chooseAttackers() throws(CryptoError) {
        guard let kind = scenario.attackerKind, scenario.attackerFraction > 0 else { return }
        let count = min(scenario.peers - ScenarioRun.bootstrapCount - 1, Int((scenario.attackerFraction * Double(scenario.peers)).rounded()))
        guard count > 0 else { return }
        var candidates = Array(ScenarioRun.bootstrapCount..<scenario.peers)
        if kind == .eclipse {
            victim = candidates.removeFirst()
        }
        for _ in 0..<count {
            let pick = Int(random.below(UInt64(candidates.count)))
            attackers.insert(candidates.remove(at: pick))
        }
    }

    func perform(_ action: Action) throws(CryptoError) {
        switch action {
        case .join(let index): try join(index)
        case .depart(let index): depart(index)
        case .close(let index): simulation.kill(index)
        case .rejoin(let index): rejoin(index)
        case .store: startStore(); scheduleNext(.store, rate: scenario.storesPerSecond)
        case .fetch: startFetch(); scheduleNext(.fetch, rate: scenario.fetchesPerSecond)
        case .sipRegister: startRegistration(); scheduleNext(.sipRegister, rate: scenario.sipRegistrationsPerSecond)
        case .sipLookup: startSIPLookup(); scheduleNext(.sipLookup, rate: scenario.sipLookupsPerSecond)
        case .flood(let index):
            flood(from: index)
            if simulation.now < measureUntil {
                timeline.push(.flood(index), at: simulation.now.adding(milliseconds: interval(rate: scenario.floodRequestsPerSecond)))
            }
        case .replay(let index):
            simulation.replay(from: index)
            if simulation.now < measureUntil { timeline.push(.replay(index), at: simulation.now.adding(milliseconds: 1_000)) }
        case .revoke(let number): try revoke(number)
        case .installRevocations(let node, let list): install(list, at: node)
        case .sample: sample()
        case .checkCutOff: checkCutOff()
        }
    }

    func join(_ index: Int) throws(CryptoError) {
        let bootstrap = Array(0..<min(index, ScenarioRun.bootstrapCount))
        var nodeId: [UInt8]? = nil
        var user: String? = nil
        if let victim, attackers.contains(index) || index == victim {
            nodeId = eclipseNodeId(for: index, victim: victim)
        }
        if attackers.contains(index) && scenario.attackerKind == .sybil {
            user = "sybil@\(simulation.configuration.overlayName)"
        }
        let added = try simulation.addNode(bootstrap: index == 0 ? [] : (bootstrap.isEmpty ? [0] : bootstrap), nodeId: nodeId, user: user)
        precondition(added == index)
        installCurrentRevocations(at: index)
        if attackers.contains(index) {
            simulation.nodes[index].attack = scenario.attackerKind
            switch scenario.attackerKind {
            case .flood?: timeline.push(.flood(index), at: max(measureFrom, simulation.now))
            case .replay?: timeline.push(.replay(index), at: max(measureFrom, simulation.now))
            default: break
            }
        } else {
            scheduleDeparture(index)
        }
    }

    /// The victim sits at a fixed point; its attackers take the Node-IDs just after it (its
    /// successors, which hold its replicas and answer for the keys after it) and just before
    /// it (its predecessors), alternately.
    func eclipseNodeId(for index: Int, victim: Int) -> [UInt8] {
        let point: UInt128 = 0x4000_0000_0000_0000_0000_0000_0000_0000
        if index == victim { return RingId(point).bytes }
        let rank = UInt128(attackers.sorted().firstIndex(of: index)! + 1)
        let offset = (rank + 1) / 2 * 0x1000
        return RingId(rank % 2 == 1 ? point &+ offset : point &- offset).bytes
    }
}
