import Crypto
import Signing
import Testing
import Node
import Reload
import Simulator
import Storage
import Wire

/// Storage on a simulated overlay (RFC 6940 §7, §10.4): Store reaches the responsible peer
/// and its replicas, every node can Fetch and verify it, access control and replay checks
/// answer with the RFC's errors, and a dead or lying responsible peer is replaced by a
/// replica. Each test prints its seed in its failure messages.
@Suite struct OverlayStorageTests {
    static let userData = KindId(0xF000_0001)

    static func configuration() -> NodeConfiguration {
        var configuration = OverlaySimulationTests.configuration()
        var kinds = StorageKinds.builtin
        _ = kinds.add(StorageKind(id: userData, model: .dictionary, policy: .userMatch, maxCount: 16, maxSize: 256))
        configuration.kinds = kinds
        return configuration
    }

    /// A converged overlay of `count` nodes.
    func overlay(seed: UInt64, count: Int, configuration: NodeConfiguration = Self.configuration()) throws -> Simulation {
        let simulation = try Simulation(seed: seed, network: SimulatedNetwork(), configuration: configuration)
        let helper = OverlaySimulationTests()
        try helper.grow(simulation, to: count)
        let problems = helper.converge(simulation, withinMilliseconds: 60_000)
        #expect(problems.isEmpty, "seed \(seed): \(problems)")
        simulation.run(milliseconds: 5_000)
        return simulation
    }

    /// §7.3.1 USER-MATCH: the resource of node `index`'s user.
    func userResource(_ simulation: Simulation, _ index: Int) -> ResourceId {
        return ResourceId(bytes: Array(SHA1.hash(Array(simulation.nodes[index].identity.userName.utf8)).prefix(16)))!
    }

    func value(_ key: String, _ text: String) -> StoredDataValue {
        return .dictionary(DictionaryEntry(key: Array(key.utf8), value: DataValue(value: Array(text.utf8))))
    }

    func wait(_ simulation: Simulation, _ index: Int, _ started: (RequestHandle, [NodeAction])) -> RequestResult? {
        simulation.perform(started.1, by: index)
        simulation.run(milliseconds: 120_000) { simulation.nodes[index].completions[started.0] != nil }
        return simulation.nodes[index].completions[started.0]
    }

    func put(_ simulation: Simulation, from index: Int, at resource: ResourceId, _ stored: StoredDataValue) -> RequestResult? {
        let node = simulation.nodes[index].node
        return wait(simulation, index, node.store(resource: resource, kind: Self.userData, values: [stored], lifetimeSeconds: 3600, now: simulation.time))
    }

    func get(_ simulation: Simulation, from index: Int, at resource: ResourceId) -> RequestResult? {
        let specifier = StoredDataSpecifier(kind: Self.userData, generation: 0, modelSpecifier: .dictionary(keys: []))
        let node = simulation.nodes[index].node
        return wait(simulation, index, node.fetch(resource: resource, specifiers: [specifier], now: simulation.time))
    }

    /// The texts of the dictionary values a fetch returned.
    func texts(_ result: RequestResult?) -> [String] {
        guard case .fetched(_, let answer, _, _)? = result else { return [] }
        return answer.kindResponses.flatMap { $0.values.values ?? [] }.filter { $0.value.dataValue.exists }
            .map { String(decoding: $0.value.dataValue.value, as: UTF8.self) }
    }

    /// The live nodes that hold USER-DATA values at `resource` in their own store.
    func holders(_ simulation: Simulation, _ resource: ResourceId) -> [Int] {
        let specifier = StoredDataSpecifier(kind: Self.userData, generation: 0, modelSpecifier: .dictionary(keys: []))
        return simulation.liveIndices.filter { index in
            let fetched = try? simulation.nodes[index].node.records.fetch(
                FetchReq(resource: resource, specifiers: [specifier]), now: simulation.time.wall)
            return !(fetched?.kindResponses.first?.values.values ?? []).filter { $0.value.dataValue.exists }.isEmpty
        }
    }

    func index(of nodeId: NodeId, in simulation: Simulation) -> Int {
        return simulation.nodes.firstIndex { $0.identity.nodeId == nodeId }!
    }

    @Test func storeOnOneNodeFetchFromEveryNode() throws {
        let seed: UInt64 = 41
        let simulation = try overlay(seed: seed, count: 8)
        let writer = 3
        let resource = userResource(simulation, writer)
        let result = put(simulation, from: writer, at: resource, value("greeting", "hello"))
        guard case .stored(let responder, let answer)? = result else {
            Issue.record("seed \(seed): store gave \(String(describing: result))")
            return
        }
        #expect(responder == simulation.responsible(for: resource.bytes), "seed \(seed)")
        #expect(answer.kindResponses.first?.replicas.count == 2, "seed \(seed): replicas \(answer)")
        simulation.run(milliseconds: 5_000)
        for reader in simulation.liveIndices {
            let result = get(simulation, from: reader, at: resource)
            #expect(texts(result) == ["hello"], "seed \(seed): fetch from node \(reader): \(String(describing: result))")
        }
        // The responsible peer and its two successors hold the record, nobody else (§10.4).
        let holders = holders(simulation, resource)
        #expect(holders.count == 3, "seed \(seed): holders \(holders)")
    }

    @Test func userMatchForbidsAnotherUser() throws {
        let seed: UInt64 = 42
        let simulation = try overlay(seed: seed, count: 5)
        let resource = userResource(simulation, 1)
        let result = put(simulation, from: 2, at: resource, value("greeting", "not yours"))
        guard case .error(let code, _)? = result else {
            Issue.record("seed \(seed): store gave \(String(describing: result))")
            return
        }
        #expect(code == .forbidden, "seed \(seed)")
        #expect(texts(get(simulation, from: 0, at: resource)).isEmpty, "seed \(seed)")
    }

    @Test func replayedStoreIsTooOld() throws {
        let seed: UInt64 = 43
        let simulation = try overlay(seed: seed, count: 5)
        let writer = 1
        let identity = simulation.nodes[writer].identity
        let resource = userResource(simulation, writer)
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 7, count: RandomGenerator.minimumFixedSeedBytes)))
        let signed = try StoredData.signed(
            resource: resource, kind: Self.userData, storageTime: simulation.time.wall.millisecondsSince1970, lifetime: 600,
            value: value("k", "v1"), identity: .certHash(certificateDER: identity.certificateChain[0]), key: identity.privateKey,
            random: random)
        let data = StoreKindData(kind: Self.userData, generationCounter: 0, values: [signed])
        var results: [RequestResult?] = []
        for _ in 0..<2 {
            let node = simulation.nodes[writer].node
            results.append(wait(simulation, writer, node.storeSigned(resource: resource, kindData: [data], certificates: [], now: simulation.time)))
        }
        guard case .stored? = results[0], case .error(let code, _)? = results[1] else {
            Issue.record("seed \(seed): \(results)")
            return
        }
        #expect(code == .dataTooOld, "seed \(seed)")
    }

    @Test func valueSurvivesTheResponsibleNode() throws {
        let seed: UInt64 = 44
        let simulation = try overlay(seed: seed, count: 8)
        let writer = 2
        let resource = userResource(simulation, writer)
        guard case .stored(let responder, _)? = put(simulation, from: writer, at: resource, value("a", "survives")) else {
            Issue.record("seed \(seed): store failed")
            return
        }
        let dead = index(of: responder, in: simulation)
        simulation.run(milliseconds: 3_000)
        simulation.kill(dead)
        simulation.run(milliseconds: 60_000)
        for reader in simulation.liveIndices {
            #expect(texts(get(simulation, from: reader, at: resource)) == ["survives"], "seed \(seed): node \(reader), \(dead) dead")
        }
        // The new responsible peer restored the replica count (§10.7.3).
        simulation.run(milliseconds: 20_000)
        let holders = holders(simulation, resource)
        #expect(holders.count == 3, "seed \(seed): holders \(holders)")
    }

    @Test func alteredFetchAnswerIsDetectedAndAReplicaAnswers() throws {
        let seed: UInt64 = 45
        let simulation = try overlay(seed: seed, count: 8)
        let writer = 4
        let resource = userResource(simulation, writer)
        guard case .stored(let responder, _)? = put(simulation, from: writer, at: resource, value("a", "genuine")) else {
            Issue.record("seed \(seed): store failed")
            return
        }
        simulation.run(milliseconds: 3_000)
        let liar = index(of: responder, in: simulation)
        var tampered = 0
        try Self.lie(in: simulation, by: liar, seed: 5, counting: { tampered += 1 }) { answer in
            for kind in answer.kindResponses.indices {
                guard var values = answer.kindResponses[kind].values.values else { continue }
                for position in values.indices {
                    if case .dictionary(var entry) = values[position].value {
                        entry.value.value = Array("forged".utf8)
                        values[position].value = .dictionary(entry)
                    }
                }
                answer.kindResponses[kind].values = .known(values)
            }
        }
        let reader = simulation.liveIndices.first { $0 != liar && $0 != writer }!
        let result = get(simulation, from: reader, at: resource)
        #expect(tampered >= 1, "seed \(seed): the liar never answered")
        #expect(texts(result) == ["genuine"], "seed \(seed): \(String(describing: result))")
        if case .fetched(let from, _, let dropped, let asked)? = result {
            #expect(from != responder && dropped == 0 && asked >= 2, "seed \(seed)")
        }
        #expect(simulation.nodes[reader].node.counters.fetchedValuesDropped >= 1, "seed \(seed)")
    }

    /// A responsible peer that hides a record (answers a signed FetchAns without its values):
    /// the negative answer is confirmed by a replica, which has it (§13.5.4 bad storing peers).
    @Test func aNegativeAnswerIsConfirmedByAReplica() throws {
        let seed: UInt64 = 46
        let simulation = try overlay(seed: seed, count: 8)
        let writer = 4
        let resource = userResource(simulation, writer)
        guard case .stored(let responder, _)? = put(simulation, from: writer, at: resource, value("a", "hidden")) else {
            Issue.record("seed \(seed): store failed")
            return
        }
        simulation.run(milliseconds: 3_000)
        let liar = index(of: responder, in: simulation)
        var hidden = 0
        try Self.lie(in: simulation, by: liar, seed: 6, counting: { hidden += 1 }) { answer in
            for kind in answer.kindResponses.indices { answer.kindResponses[kind].values = .known([]) }
        }
        let reader = simulation.liveIndices.first { $0 != liar && $0 != writer }!
        let result = get(simulation, from: reader, at: resource)
        #expect(hidden >= 1, "seed \(seed): the liar never answered")
        #expect(texts(result) == ["hidden"], "seed \(seed): \(String(describing: result))")
        if case .fetched(let from, _, _, let asked)? = result { #expect(from != responder && asked == 2, "seed \(seed)") }
    }

    /// Node `liar` changes the FetchAnswers it originates (empty via list; it forwards others'
    /// answers unchanged: a node that also corrupts what it routes is §13.6's routing attack,
    /// not this one) and signs its message properly, so only the stored values' signatures,
    /// or a replica, can betray it. `counting` runs for each answer changed.
    static func lie(
        in simulation: Simulation, by liar: Int, seed: UInt8, counting: @escaping () -> Void, _ change: @escaping (inout FetchAns) -> Void
    ) throws {
        let codec = configuration().codec
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: RandomGenerator.minimumFixedSeedBytes)))
        simulation.tamper = { from, bytes in
            guard from == liar, var message = try? Message.decode(bytes, codec), message.header.viaList.isEmpty,
                case .fetchAnswer(var answer) = message.contents.body
            else { return bytes }
            change(&answer)
            message.contents.body = .fetchAnswer(answer)
            let identity = simulation.nodes[liar].identity
            guard (try? message.sign(key: identity.privateKey, identity: .certHash(certificateDER: identity.certificateChain[0]),
                                     certificates: message.securityBlock.certificates, random: random)) != nil,
                let encoded = try? message.encode()
            else { return bytes }
            counting()
            return encoded
        }
    }
}
