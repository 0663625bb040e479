import Crypto
import Node
import Reload
import Wire

/// A request the workload started, until its completion.
struct PendingKey: Hashable {
    let node: Int
    let handle: RequestHandle
}

struct PendingRequest {
    enum Purpose {
        case store(RecordKey, value: [UInt8], sequence: UInt64)
        case fetch(RecordKey, expected: [UInt8], sequence: UInt64)
        case register(user: Int, value: [UInt8])
        case lookup(user: Int, nodeId: NodeId)
        case flood
    }
    let purpose: Purpose
    let started: Instant
    let life: Int
    /// The peers the request reached (its hops), seen by the delivery observer.
    var reached: Set<Int> = []
    var transaction: UInt64?
}

/// A value of the workload kind: the storing user's resource and a dictionary key.
struct RecordKey: Hashable {
    let resource: ResourceId
    let key: [UInt8]
}

/// Every value ever stored under a key (an honest peer must never return any other), and the
/// newest one acknowledged (by its sequence number).
struct RecordHistory {
    var values: Set<[UInt8]> = []
    var acknowledged: (value: [UInt8], sequence: UInt64)? = nil
}

// The workload: Stores and Fetches of the workload kind, SIP registrations (RFC 7904 §3: a
// SIP-REGISTRATION dictionary entry under the AOR's Resource-ID, keyed by the registering
// peer's Node-ID) and SIP lookups (a Fetch of that resource), each from a random honest peer
// that has joined, through the Node's own request API.
extension ScenarioRun {
    /// A random live, joined, honest peer (nil when none is found in a few tries).
    func randomHonestPeer() -> Int? {
        if let victim, scenario.attackerKind == .eclipse, simulation.nodes.count > victim, simulation.nodes[victim].alive {
            return victim
        }
        for _ in 0..<32 {
            let index = Int(random.below(UInt64(simulation.nodes.count)))
            let entry = simulation.nodes[index]
            if entry.alive, entry.attack == nil, entry.node.phase == .joined { return index }
        }
        return nil
    }

    /// §7.3.1: the resource of a user's USER-MATCH (and USER-NODE-MATCH) values.
    func userResource(_ index: Int) -> ResourceId {
        ResourceId(bytes: Array(SHA1.hash(Array(simulation.nodes[index].identity.userName.utf8)).prefix(16)))!
    }

    func startStore() {
        guard let index = randomHonestPeer() else { return }
        storeSequence += 1
        let record = RecordKey(resource: userResource(index), key: Array("k\(storeSequence % ScenarioRun.keysPerUser)".utf8))
        let value = Array("v\(storeSequence)".utf8)
        records[record, default: RecordHistory()].values.insert(value)
        let entry = StoredDataValue.dictionary(DictionaryEntry(key: record.key, value: DataValue(value: value)))
        let node = simulation.nodes[index].node
        start(.store(record, value: value, sequence: storeSequence), by: index,
              node.store(resource: record.resource, kind: ScenarioRun.workloadKind, values: [entry], lifetimeSeconds: 86_400, now: simulation.time))
    }

    func startFetch() {
        guard !recordKeys.isEmpty, let index = randomHonestPeer() else { return }
        let record = recordKeys[Int(random.below(UInt64(recordKeys.count)))]
        guard let acknowledged = records[record]?.acknowledged else { return }
        let specifier = StoredDataSpecifier(kind: ScenarioRun.workloadKind, generation: 0, modelSpecifier: .dictionary(keys: [record.key]))
        let node = simulation.nodes[index].node
        start(.fetch(record, expected: acknowledged.value, sequence: acknowledged.sequence), by: index,
              node.fetch(resource: record.resource, specifiers: [specifier], now: simulation.time))
    }

    func startRegistration() {
        guard let index = randomHonestPeer() else { return }
        let entry = simulation.nodes[index]
        let uri = Array("sip:\(entry.identity.userName)".utf8)
        var writer = ByteWriter(capacity: 128)
        guard (try? SipRegistration.uri(uri).encode(to: &writer)) != nil else { return }
        let value = StoredDataValue.dictionary(DictionaryEntry(key: entry.identity.nodeId.bytes, value: DataValue(value: writer.bytes)))
        start(.register(user: index, value: writer.bytes), by: index,
              entry.node.store(resource: userResource(index), kind: .sipRegistration, values: [value], lifetimeSeconds: 86_400, now: simulation.time))
    }

    func startSIPLookup() {
        guard !registeredUsers.isEmpty, let index = randomHonestPeer() else { return }
        let user = registeredUsers[Int(random.below(UInt64(registeredUsers.count)))]
        guard let nodeId = registrations[user] else { return }
        let specifier = StoredDataSpecifier(kind: .sipRegistration, generation: 0, modelSpecifier: .dictionary(keys: []))
        start(.lookup(user: user, nodeId: nodeId), by: index,
              simulation.nodes[index].node.fetch(resource: userResource(user), specifiers: [specifier], now: simulation.time))
    }

    /// A flooding attacker asks for a random resource.
    func flood(from index: Int) {
        guard simulation.nodes[index].alive, simulation.nodes[index].node.phase == .joined else { return }
        let resource = ResourceId(bytes: random.bytes(16))!
        let specifier = StoredDataSpecifier(kind: ScenarioRun.workloadKind, generation: 0, modelSpecifier: .dictionary(keys: []))
        metrics.floodRequests += 1
        start(.flood, by: index, simulation.nodes[index].node.fetch(resource: resource, specifiers: [specifier], now: simulation.time))
    }

    /// Registers the request before its actions run (its answer may come at once).
    func start(_ purpose: PendingRequest.Purpose, by index: Int, _ started: (RequestHandle, [NodeAction])) {
        let key = PendingKey(node: index, handle: started.0)
        var request = PendingRequest(purpose: purpose, started: simulation.now, life: lives[index])
        for case .send(let message, _) in started.1 {
            request.transaction = ScenarioRun.transactionId(of: message)
            break
        }
        if pending.count >= ScenarioRun.maximumPending { metrics.notStarted += 1; return }
        pending[key] = request
        if let transaction = request.transaction { pendingByTransaction[transaction] = key }
        simulation.perform(started.1, by: index)
    }

    /// At most this many workload requests in flight (a bound of the runner's own table).
    static let maximumPending = 1_000_000

    /// §6.3.2: the transaction_id follows relo_token, overlay, configuration_sequence,
    /// version, ttl, fragment and length (20 bytes).
    static func transactionId(of message: [UInt8]) -> UInt64? {
        guard message.count >= 28 else { return nil }
        return message[20..<28].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Counts the peers a workload request reaches.
    func observe(_ message: [UInt8], at node: Int) {
        guard !pendingByTransaction.isEmpty, let transaction = ScenarioRun.transactionId(of: message),
            let key = pendingByTransaction[transaction], let headerLength = MessageTraffic.headerLength(of: message),
            MessageTraffic.code(of: message, headerLength: headerLength)?.isRequest == true
        else { return }
        pending[key]?.reached.insert(node)
    }

    func completed(_ node: Int, _ handle: RequestHandle, _ result: RequestResult) {
        let key = PendingKey(node: node, handle: handle)
        guard let request = pending.removeValue(forKey: key) else { return }
        if let transaction = request.transaction { pendingByTransaction[transaction] = nil }
        guard request.life == lives[node] else { return }
        let measuring = request.started >= measureFrom && request.started < measureUntil
        switch request.purpose {
        case .store(let record, let value, let sequence):
            guard case .stored = result else { metrics.storesFailed += 1; return }
            metrics.storesAcknowledged += 1
            if records[record]?.acknowledged == nil { recordKeys.append(record) }
            if (records[record]?.acknowledged?.sequence ?? 0) < sequence { records[record]?.acknowledged = (value, sequence) }
        case .register(let user, _):
            guard case .stored = result else { metrics.storesFailed += 1; return }
            if registrations[user] == nil { registeredUsers.append(user) }
            registrations[user] = simulation.nodes[user].identity.nodeId
        case .fetch(let record, let expected, let sequence):
            let outcome = fetchOutcome(result, record: record, expected: expected, sequence: sequence)
            if measuring { metrics.lookup(outcome, latency: simulation.now.milliseconds(since: request.started), hops: request.reached.count) }
        case .lookup(_, let nodeId):
            let outcome = lookupOutcome(result, nodeId: nodeId)
            if measuring { metrics.lookup(outcome, latency: simulation.now.milliseconds(since: request.started), hops: request.reached.count) }
        case .flood:
            break
        }
    }

    /// Right: the acknowledged value, or a newer one stored since. A value never stored under
    /// that key is a forgery an honest peer accepted: the checker counts it.
    func fetchOutcome(_ result: RequestResult, record: RecordKey, expected: [UInt8], sequence: UInt64) -> LookupOutcome {
        guard case .fetched(_, let answer, _, _) = result else { return .failed }
        let values = answer.kindResponses.flatMap { $0.values.values ?? [] }
        guard let found = values.first(where: { stored in
            if case .dictionary(let entry) = stored.value { return entry.key == record.key && entry.value.exists }
            return false
        }), case .dictionary(let entry) = found.value else { return .failed }
        let value = entry.value.value
        guard records[record]?.values.contains(value) == true else { return .forged }
        if value == expected { return .succeeded }
        return ScenarioRun.sequence(of: value) > sequence ? .succeeded : .stale
    }

    /// The store sequence number a workload value ("v" then decimal digits) carries; 0 for any
    /// other bytes.
    static func sequence(of value: [UInt8]) -> UInt64 {
        UInt64(String(decoding: value.dropFirst(), as: UTF8.self)) ?? 0
    }

    /// Right: the user's registration entry, under the registering peer's Node-ID.
    func lookupOutcome(_ result: RequestResult, nodeId: NodeId) -> LookupOutcome {
        guard case .fetched(_, let answer, _, _) = result else { return .failed }
        for stored in answer.kindResponses.flatMap({ $0.values.values ?? [] }) {
            if case .dictionary(let entry) = stored.value, entry.key == nodeId.bytes, entry.value.exists { return .succeeded }
        }
        return .failed
    }

    /// Requests still unanswered at the end: failed when their peer is still the one that
    /// asked, else abandoned with it.
    func abandonUnfinished() {
        for (key, request) in pending.sorted(by: { ($0.key.node, $0.key.handle.value) < ($1.key.node, $1.key.handle.value) }) {
            let measuring = request.started >= measureFrom && request.started < measureUntil
            switch request.purpose {
            case .fetch, .lookup:
                if measuring && request.life == lives[key.node] && simulation.nodes[key.node].alive {
                    metrics.lookup(.failed, latency: nil, hops: nil)
                }
            default: break
            }
        }
        pending.removeAll()
        pendingByTransaction.removeAll()
    }
}

extension Instant {
    func milliseconds(since earlier: Instant) -> UInt64 {
        nanoseconds >= earlier.nanoseconds ? (nanoseconds - earlier.nanoseconds) / 1_000_000 : 0
    }
}
