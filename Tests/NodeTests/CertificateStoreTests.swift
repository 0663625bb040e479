import Crypto
import Signing
import Testing
import Node
import Reload
import Simulator
import Storage
import Wire

/// The certificate store usage (RFC 6940 §8) and the records' way around the ring: every node
/// stores its certificate under CERTIFICATE_BY_NODE and CERTIFICATE_BY_USER once joined, and signatures whose
/// certificate a message does not carry are checked with those; records move to a node that
/// joins in front of them and back to a node restarted on its store; a client's own signed
/// StoreReq is relayed by a peer (§3.2.1). Each test prints its seed in failures.
@Suite struct CertificateStoreTests {
    let storage = OverlayStorageTests()

    func certificateFetch(_ simulation: Simulation, from index: Int, of nodeId: NodeId) -> RequestResult? {
        let all = StoredDataSpecifier(
            kind: .certificateByNode, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0xFFFF_FFFF)]))
        let node = simulation.nodes[index].node
        return storage.wait(simulation, index, node.fetch(
            resource: OverlayNode<InMemoryBackend>.certificateResource(of: nodeId), specifiers: [all], now: simulation.time))
    }

    /// CERTIFICATE_BY_USER of `userName` (§8: at H(user name)), fetched by node `index`.
    func userCertificateFetch(_ simulation: Simulation, from index: Int, of userName: String) -> RequestResult? {
        let all = StoredDataSpecifier(
            kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0xFFFF_FFFF)]))
        let resource = ResourceId(bytes: Array(SHA1.hash(Array(userName.utf8)).prefix(16)))!
        return storage.wait(simulation, index, simulation.nodes[index].node.fetch(resource: resource, specifiers: [all], now: simulation.time))
    }

    /// The live nodes that hold `key` as the responsible peer or a replica (§10.4): the
    /// responsible one and its next two on the sorted ring.
    func replicaSet(_ simulation: Simulation, _ key: [UInt8]) -> [Int] {
        let sorted = simulation.liveIndices.sorted { simulation.nodes[$0].identity.nodeId < simulation.nodes[$1].identity.nodeId }
        let first = sorted.firstIndex { simulation.nodes[$0].identity.nodeId == simulation.responsible(for: key) }!
        return (0..<3).map { sorted[(first + $0) % sorted.count] }
    }

    func values(_ result: RequestResult?) -> [[UInt8]] {
        guard case .fetched(_, let answer, _, _)? = result else { return [] }
        return answer.kindResponses.flatMap { $0.values.values ?? [] }.filter { $0.value.dataValue.exists }.map { $0.value.dataValue.value }
    }

    /// Strips from every message a node sends the certificates after the sender's own, and signs
    /// it again: a system that relies on the certificate store (§6.3.4 "some certificates MAY be
    /// omitted"). With `all`, the sender's own goes too for the messages `strip` selects.
    func stripCertificates(_ simulation: Simulation, all select: ((Int, Message) -> Bool)? = nil) throws -> () -> Int {
        let codec = OverlayStorageTests.configuration().codec
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 6, count: RandomGenerator.minimumFixedSeedBytes)))
        var stripped = 0
        simulation.tamper = { from, bytes in
            guard var message = try? Message.decode(bytes, codec), message.securityBlock.certificates.count > 0 else { return bytes }
            let everything = select?(from, message) ?? false
            guard everything || message.securityBlock.certificates.count > 1 else { return bytes }
            let identity = simulation.nodes[from].identity
            let kept = everything ? [] : [GenericCertificate(certificate: identity.certificateChain[0])]
            guard (try? message.sign(key: identity.privateKey, identity: .certHash(certificateDER: identity.certificateChain[0]),
                                     certificates: kept, random: random)) != nil,
                let encoded = try? message.encode()
            else { return bytes }
            stripped += 1
            return encoded
        }
        return { stripped }
    }

    @Test func everyNodeStoresItsCertificateAndAnyNodeFetchesIt() throws {
        let seed: UInt64 = 51
        var configuration = OverlayStorageTests.configuration()
        configuration.certificateLifetimeSeconds = 120
        let simulation = try storage.overlay(seed: seed, count: 8, configuration: configuration)
        simulation.run(milliseconds: 10_000)
        for index in simulation.liveIndices {
            #expect(simulation.nodes[index].node.counters.certificatePublications >= 1, "seed \(seed): node \(index) did not store its certificate")
        }
        for (reader, owner) in [(0, 5), (3, 1), (7, 7)] {
            let identity = simulation.nodes[owner].identity
            #expect(values(certificateFetch(simulation, from: reader, of: identity.nodeId)) == [identity.certificateChain[0]],
                    "seed \(seed): node \(reader) fetching node \(owner)'s certificate")
            // §8: "A user/node MUST store its certificate at Resource-IDs derived from two
            // Resource Names": the user name too.
            #expect(values(userCertificateFetch(simulation, from: reader, of: identity.userName)) == [identity.certificateChain[0]],
                    "seed \(seed): node \(reader) fetching \(identity.userName)'s certificate")
        }
        // Refreshed before the lifetime (here 120 s) ends: within 70 s every node stored it again.
        simulation.run(milliseconds: 70_000)
        for index in simulation.liveIndices {
            #expect(simulation.nodes[index].node.counters.certificatePublications >= 2, "seed \(seed): node \(index) did not refresh")
        }
    }

    /// §8 on the fetching side: answers carry no value certificates; a SIP registration
    /// (USER-NODE-MATCH: its key is the registering Node-ID) is still verified, with the
    /// CERTIFICATE_BY_NODE the reader fetches for that key.
    @Test func aReaderFetchesTheCertificateThatAnAnswerLeftOut() throws {
        let seed: UInt64 = 52
        // Nodes remember few certificates (as a big overlay's would, relative to its size).
        var configuration = OverlayStorageTests.configuration()
        configuration.maximumCachedCertificates = 2
        let simulation = try storage.overlay(seed: seed, count: 14, configuration: configuration)
        simulation.run(milliseconds: 10_000)
        let writer = 2
        let identity = simulation.nodes[writer].identity
        let resource = storage.userResource(simulation, writer)
        let registration = StoredDataValue.dictionary(DictionaryEntry(key: identity.nodeId.bytes, value: DataValue(value: Array("sip:w@10.0.0.2".utf8))))
        let node = simulation.nodes[writer].node
        guard case .stored? = storage.wait(simulation, writer, node.store(
            resource: resource, kind: .sipRegistration, values: [registration], lifetimeSeconds: 600, now: simulation.time)) else {
            Issue.record("seed \(seed): registration not stored")
            return
        }
        simulation.run(milliseconds: 3_000)
        let stripped = try stripCertificates(simulation)
        // A reader that holds neither the registration nor the writer's certificate, and is
        // none of the writer's neighbors (they get Stores the writer signs).
        let seen = replicaSet(simulation, resource.bytes) + replicaSet(simulation, identity.nodeId.bytes)
            + replicaSet(simulation, OverlayNode<InMemoryBackend>.certificateResource(of: identity.nodeId).bytes)
        let reader = try #require(simulation.liveIndices.first { index in
            !seen.contains(index) && !replicaSet(simulation, simulation.nodes[index].identity.nodeId.bytes).contains(writer)
                && (try? simulation.nodes[index].node.records.certificate(for: .certHash(certificateDER: identity.certificateChain[0]))) == nil
        })
        let before = simulation.nodes[reader].node.counters.certificateLookups
        let specifier = StoredDataSpecifier(kind: .sipRegistration, generation: 0, modelSpecifier: .dictionary(keys: []))
        let result = storage.wait(simulation, reader, simulation.nodes[reader].node.fetch(resource: resource, specifiers: [specifier], now: simulation.time))
        #expect(stripped() >= 1, "seed \(seed): nothing was stripped: the test would prove nothing")
        #expect(values(result) == [Array("sip:w@10.0.0.2".utf8)], "seed \(seed): \(String(describing: result))")
        #expect(simulation.nodes[reader].node.counters.certificateLookups > before, "seed \(seed): no lookup")
    }

    /// §8 on the storing side: a StoreReq without any certificate is held until the storing
    /// peer has fetched its originator's CERTIFICATE_BY_NODE, then stored.
    @Test func aStoringPeerFetchesTheCertificateOfARequestThatCarriesNone() throws {
        let seed: UInt64 = 53
        let simulation = try storage.overlay(seed: seed, count: 7)
        // The newcomers' CERTIFICATE_BY_USER Stores are lost (garbled on the way), as if the
        // storing peer of their user resource had never seen them: that peer would otherwise
        // know the certificate from the record store (§8: stored under the user name too).
        let codec = OverlayStorageTests.configuration().codec
        let losesUserCertificates: (Int, [UInt8]) -> [UInt8] = { from, bytes in
            guard from >= 7, let message = try? Message.decode(bytes, codec), case .storeRequest(let request) = message.contents.body,
                request.kindData.first?.kind == .certificateByUser
            else { return bytes }
            // Lost: another overlay's hash in the header (RFC 6940 §6.3.2), dropped at the next
            // hop. (Zeros would be a malformed header, which the link's peer is charged for.)
            var lost = bytes
            for index in 4..<8 { lost[index] ^= 0xFF }
            return lost
        }
        simulation.tamper = losesUserCertificates
        // A newcomer whose user resource's responsible peer has not seen its certificate: it
        // holds not the newcomer's CERTIFICATE_BY_NODE, nor is it one of the newcomer's
        // successors (they get the Stores the newcomer signs as a responsible peer).
        var writer: Int? = nil
        for _ in 0..<8 where writer == nil {
            let newcomer = try simulation.addNode(bootstrap: [0])
            simulation.run(milliseconds: 10_000)
            let nodeId = simulation.nodes[newcomer].identity.nodeId
            let seen = replicaSet(simulation, OverlayNode<InMemoryBackend>.certificateResource(of: nodeId).bytes)
                + replicaSet(simulation, nodeId.bytes)
            if !seen.contains(replicaSet(simulation, storage.userResource(simulation, newcomer).bytes)[0]) { writer = newcomer }
        }
        let chosen = try #require(writer, "seed \(seed): no newcomer fits")
        let resource = storage.userResource(simulation, chosen)
        let stripped = try stripCertificates(simulation) { from, message in
            if from == chosen, message.header.viaList.isEmpty, case .storeRequest(let request) = message.contents.body {
                return request.replicaNumber == 0 && request.kindData.first?.kind == OverlayStorageTests.userData
            }
            return false
        }
        let strip = simulation.tamper
        simulation.tamper = { from, bytes in strip?(from, losesUserCertificates(from, bytes)) ?? bytes }
        let responsible = replicaSet(simulation, resource.bytes)[0]
        let before = simulation.nodes[responsible].node.counters.certificateLookups
        let result = storage.put(simulation, from: chosen, at: resource, storage.value("k", "no certificate carried"))
        guard case .stored? = result else {
            Issue.record("seed \(seed): \(String(describing: result))")
            return
        }
        #expect(stripped() >= 1, "seed \(seed): nothing stripped: the test would prove nothing")
        #expect(simulation.nodes[responsible].node.counters.certificateLookups > before, "seed \(seed): stored without a lookup?")
        simulation.tamper = nil
        #expect(storage.texts(storage.get(simulation, from: 0, at: resource)) == ["no certificate carried"], "seed \(seed)")
    }

    /// §10.5 step 6: a node that joins in front of a USER-MATCH record gets it from the peer
    /// that held it (the hand-off carries the values' own signatures), and answers for it.
    @Test func aJoiningNodeReceivesTheRecordsItIsNowResponsibleFor() throws {
        let seed: UInt64 = 54
        let simulation = try storage.overlay(seed: seed, count: 6)
        let writer = 1
        let resource = storage.userResource(simulation, writer)
        guard case .stored? = storage.put(simulation, from: writer, at: resource, storage.value("a", "moves")) else {
            Issue.record("seed \(seed): store failed")
            return
        }
        // A node whose Node-ID is the Resource-ID itself: responsible for it (§10.1).
        let newcomer = try simulation.addNode(bootstrap: [0], nodeId: resource.bytes)
        simulation.run(milliseconds: 30_000)
        #expect(storage.holders(simulation, resource).contains(newcomer), "seed \(seed): holders \(storage.holders(simulation, resource))")
        let result = storage.get(simulation, from: 3, at: resource)
        #expect(storage.texts(result) == ["moves"], "seed \(seed): \(String(describing: result))")
        if case .fetched(let responder, _, _, _)? = result { #expect(responder == simulation.nodes[newcomer].identity.nodeId, "seed \(seed)") }
        #expect(storage.holders(simulation, resource).count == 3, "seed \(seed): holders \(storage.holders(simulation, resource))")
    }

    /// A node restarted on its record store rejoins, gets what changed while it was down
    /// (the newer value replaces its stale one), and serves no stale value.
    @Test func aRestartedNodeKeepsItsRecordsAndCatchesUp() throws {
        let seed: UInt64 = 55
        let simulation = try storage.overlay(seed: seed, count: 8)
        // A writer that is not itself responsible for its record (it writes while that one is down).
        let writer = try #require(simulation.liveIndices.first { replicaSet(simulation, storage.userResource(simulation, $0).bytes)[0] != $0 })
        let resource = storage.userResource(simulation, writer)
        guard case .stored(let responder, _)? = storage.put(simulation, from: writer, at: resource, storage.value("a", "v1")) else {
            Issue.record("seed \(seed): store failed")
            return
        }
        _ = storage.put(simulation, from: writer, at: resource, storage.value("b", "kept"))
        simulation.run(milliseconds: 3_000)
        let victim = storage.index(of: responder, in: simulation)
        simulation.kill(victim)
        simulation.run(milliseconds: 60_000)
        let whileDown = storage.put(simulation, from: writer, at: resource, storage.value("a", "v2"))
        guard case .stored? = whileDown else {
            Issue.record("seed \(seed): store while the responsible node is down: \(String(describing: whileDown))")
            return
        }
        simulation.restart(victim, bootstrap: [simulation.liveIndices.first { $0 != victim }!], keepingRecords: true)
        simulation.run(milliseconds: 60_000)
        #expect(simulation.ringProblems().isEmpty, "seed \(seed): \(simulation.ringProblems())")
        for reader in simulation.liveIndices {
            let result = storage.get(simulation, from: reader, at: resource)
            #expect(storage.texts(result).sorted() == ["kept", "v2"], "seed \(seed): node \(reader): \(String(describing: result))")
            if case .fetched(let from, _, _, _)? = result { #expect(from == responder, "seed \(seed): answered by \(from.hex)") }
        }
        #expect(storage.holders(simulation, resource).count == 3, "seed \(seed): holders \(storage.holders(simulation, resource))")
    }

    /// §3.2.1 and §7.3: a user's own StoreReq, signed by the user as a client, is relayed by any
    /// peer and stored under the user's USER-MATCH resource; the same for another user's
    /// resource is refused (Error_Forbidden).
    @Test func aPeerRelaysAClientsSignedStore() throws {
        let seed: UInt64 = 56
        let simulation = try storage.overlay(seed: seed, count: 6)
        let client = try simulation.pki.makeIdentity(user: "carol@sim.example")
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 8, count: RandomGenerator.minimumFixedSeedBytes)))
        func relayed(_ resource: ResourceId, _ text: String, through peer: Int, transaction: UInt64) throws -> RequestResult? {
            let value = try StoredData.signed(
                resource: resource, kind: OverlayStorageTests.userData, storageTime: simulation.time.wall.millisecondsSince1970, lifetime: 600,
                value: storage.value("k", text), identity: .certHash(certificateDER: client.certificateChain[0]),
                key: client.privateKey, random: random)
            let bytes = try ClientRequest.store(
                resource: resource, kindData: [StoreKindData(kind: OverlayStorageTests.userData, generationCounter: 0, values: [value])],
                identity: client, configuration: simulation.configuration, transactionId: transaction, random: random)
            return storage.wait(simulation, peer, simulation.nodes[peer].node.relay(bytes, now: simulation.time))
        }
        let own = ResourceId(bytes: Array(SHA1.hash(Array("carol@sim.example".utf8)).prefix(16)))!
        for peer in [1, 4] {
            let result = try relayed(own, "by carol via \(peer)", through: peer, transaction: UInt64(peer))
            guard case .stored? = result else {
                Issue.record("seed \(seed): relay through \(peer): \(String(describing: result))")
                continue
            }
            #expect(storage.texts(storage.get(simulation, from: 0, at: own)) == ["by carol via \(peer)"], "seed \(seed)")
        }
        let foreign = storage.userResource(simulation, 2)
        guard case .error(let code, _)? = try relayed(foreign, "not carol's", through: 3, transaction: 9) else {
            Issue.record("seed \(seed): a store at another user's resource was not refused")
            return
        }
        #expect(code == .forbidden, "seed \(seed)")
        // A message that is not well signed is not relayed at all.
        var tampered = try ClientRequest.store(
            resource: own, kindData: [], identity: client, configuration: simulation.configuration, transactionId: 10, random: random)
        tampered[tampered.count - 10] ^= 0x01
        guard case .failed(let text)? = storage.wait(simulation, 1, simulation.nodes[1].node.relay(tampered, now: simulation.time)) else {
            Issue.record("seed \(seed): a tampered client request was relayed")
            return
        }
        #expect(text.contains("signature"), "seed \(seed): \(text)")
    }
}

/// The process test's churn in the simulator: kill two of every three consecutive nodes in
/// turn, wait until every record is on three live nodes again, change values while nodes are
/// down, restart the killed nodes on their stores one after the other; every record is on
/// exactly three nodes and no node serves an old value.
@Suite struct RecordChurnTests {
    let storage = OverlayStorageTests()

    func held(_ simulation: Simulation) -> Int {
        return simulation.liveIndices.reduce(0) { $0 + Int((try? simulation.nodes[$1].node.records.totalUsage().records) ?? 0) }
    }

    func settle(_ simulation: Simulation, records: Int, limit: UInt64) -> UInt64? {
        var waited: UInt64 = 0
        while held(simulation) != 3 * records {
            if waited >= limit { return nil }
            simulation.run(milliseconds: 1_000)
            waited += 1_000
        }
        return waited
    }

    @Test func twoOfEveryThreeKilledThenRestarted() throws {
        let seed: UInt64 = 61
        let simulation = try Simulation(seed: seed, network: SimulatedNetwork(), configuration: OverlayStorageTests.configuration())
        simulation.logLevel = .info
        try OverlaySimulationTests().grow(simulation, to: 10)
        _ = storage.helperConverge(simulation)
        simulation.run(milliseconds: 10_000)
        var expected: [Int: [String: String]] = [:]
        for writer in simulation.liveIndices {
            for key in 0..<5 {
                guard case .stored? = storage.put(simulation, from: writer, at: storage.userResource(simulation, writer), storage.value("k\(key)", "\(writer)-\(key)-v1")) else {
                    Issue.record("seed \(seed): node \(writer) key \(key) not stored")
                    return
                }
                expected[writer, default: [:]]["k\(key)"] = "\(writer)-\(key)-v1"
            }
        }
        let records = 10 * 5 + 10 + 10  // and each node's CERTIFICATE_BY_NODE and CERTIFICATE_BY_USER (§8)
        #expect(settle(simulation, records: records, limit: 30_000) != nil, "seed \(seed): \(held(simulation)) held")
        let byRing = simulation.liveIndices.sorted { simulation.nodes[$0].identity.nodeId < simulation.nodes[$1].identity.nodeId }
        var killed: [Int] = []
        for round in 0..<3 {
            let victims = [byRing[3 * round], byRing[3 * round + 1]]
            for victim in victims { simulation.kill(victim) }
            killed += victims
            #expect(storage.helperConverge(simulation), "seed \(seed) round \(round): \(simulation.ringProblems())")
            if round == 1 {
                for writer in simulation.liveIndices {
                    _ = storage.put(simulation, from: writer, at: storage.userResource(simulation, writer), storage.value("k0", "\(writer)-0-v2"))
                    expected[writer]?["k0"] = "\(writer)-0-v2"
                }
            }
            let waited = settle(simulation, records: records, limit: 120_000)
            #expect(waited != nil, "seed \(seed) round \(round): \(held(simulation)) held, want \(3 * records)")
            if waited == nil { debugHolders(simulation) }
        }
        for victim in killed {
            simulation.restart(victim, bootstrap: [simulation.liveIndices.first!], keepingRecords: true)
            simulation.run(milliseconds: 10_000)
        }
        #expect(storage.helperConverge(simulation), "seed \(seed): \(simulation.ringProblems())")
        let waited = settle(simulation, records: records, limit: 120_000)
        let perNode = simulation.liveIndices.map { "\($0):\((try? simulation.nodes[$0].node.records.totalUsage().records) ?? 0)" }
        #expect(waited != nil, "seed \(seed) after the restarts: \(held(simulation)) held, want \(3 * records): \(perNode)")
        for (writer, values) in expected {
            let got = storage.texts(storage.get(simulation, from: (writer + 3) % 10, at: storage.userResource(simulation, writer)))
            #expect(got.sorted() == values.values.sorted(), "seed \(seed): node \(writer)'s records: \(got)")
        }
        // Requests routed through a peer before its death was noticed went unanswered: that is
        // no misbehaviour, and a ban would keep the restarted peer out.
        let bans = simulation.liveIndices.map { simulation.nodes[$0].node.status(now: simulation.time).bansImposed }
        #expect(bans.allSatisfy { $0 == 0 }, "seed \(seed): bans imposed by each node \(bans)")
    }
}

extension RecordChurnTests {
    /// A peer dies with requests routed through it: each is answered by another path after the
    /// retransmission timer (§6.2.1), and the dead peer is not charged for them (its link
    /// failed, which explains the silence), so it is not banned and links again on restart.
    @Test func aPeerThatDiesIsNotChargedForTheRequestsItTookWithIt() throws {
        let simulation = try Simulation(seed: 23, network: SimulatedNetwork(), configuration: OverlayStorageTests.configuration())
        try OverlaySimulationTests().grow(simulation, to: 10)
        #expect(storage.helperConverge(simulation), "\(simulation.ringProblems())")
        let asker = simulation.liveIndices[0]
        let successors = simulation.nodes[asker].node.status(now: simulation.time).successors
        try #require(successors.count >= 3)
        // Keys in (s2, s3]: the asker routes them to its second successor (§10.3), which dies.
        let victim = simulation.liveIndices.first { simulation.nodes[$0].identity.nodeId == successors[1] }!
        simulation.kill(victim)
        let specifier = StoredDataSpecifier(kind: OverlayStorageTests.userData, generation: 0, modelSpecifier: .dictionary(keys: []))
        var handles: [RequestHandle] = []
        for offset in 1...40 {
            var bytes = successors[1].bytes  // the victim's Node-ID + offset, big-endian
            var carry = offset
            for index in bytes.indices.reversed() where carry > 0 {
                let sum = Int(bytes[index]) + carry
                bytes[index] = UInt8(sum & 0xFF)
                carry = sum >> 8
            }
            let resource = ResourceId(bytes: bytes)!
            let started = simulation.nodes[asker].node.fetch(resource: resource, specifiers: [specifier], now: simulation.time)
            simulation.perform(started.1, by: asker)
            handles.append(started.0)
        }
        simulation.run(milliseconds: 60_000)
        let answered = handles.filter { if case .fetched? = simulation.nodes[asker].completions[$0] { return true } else { return false } }
        #expect(answered.count == 40, "\(answered.count) of 40 fetches answered")
        #expect(simulation.nodes[asker].node.status(now: simulation.time).bansImposed == 0, "the dead peer was banned")
        simulation.restart(victim, bootstrap: [asker], keepingRecords: true)
        #expect(storage.helperConverge(simulation), "after the restart: \(simulation.ringProblems())")
    }

    func debugHolders(_ simulation: Simulation) {
        let sorted = simulation.liveIndices.sorted { simulation.nodes[$0].identity.nodeId < simulation.nodes[$1].identity.nodeId }
        print("DEBUG ring: \(sorted.map { "\($0)=\(simulation.nodes[$0].identity.nodeId.hex.prefix(6))" })")
        var resources: [String: [Int]] = [:]
        for index in simulation.liveIndices {
            for writer in simulation.liveIndices {
                let resource = storage.userResource(simulation, writer)
                let all = StoredDataSpecifier(kind: OverlayStorageTests.userData, generation: 0, modelSpecifier: .dictionary(keys: []))
                let n = (try? simulation.nodes[index].node.records.fetch(FetchReq(resource: resource, specifiers: [all]), now: simulation.time.wall))?.kindResponses.first?.values.values?.count ?? 0
                if n > 0 { resources["user\(writer) \(Hex.encode(resource.bytes).prefix(6))", default: []].append(index * 100 + n) }
                let certificate = OverlayNode<InMemoryBackend>.certificateResource(of: simulation.nodes[writer].identity.nodeId)
                let spec = StoredDataSpecifier(kind: .certificateByNode, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0xFFFF_FFFF)]))
                let c = (try? simulation.nodes[index].node.records.fetch(FetchReq(resource: certificate, specifiers: [spec]), now: simulation.time.wall))?.kindResponses.first?.values.values?.count ?? 0
                if c > 0 { resources["cert\(writer) \(Hex.encode(certificate.bytes).prefix(6))", default: []].append(index * 100 + c) }
            }
        }
        for (key, holders) in resources.sorted(by: { $0.key < $1.key }) where holders.count != 3 { print("DEBUG \(key): \(holders)") }
        for index in sorted { print("DEBUG node \(index) preds \(simulation.nodes[index].node.status(now: simulation.time).predecessors.map { $0.hex.prefix(6) }) succs \(simulation.nodes[index].node.status(now: simulation.time).successors.map { $0.hex.prefix(6) })") }
    }
}

extension OverlayStorageTests {
    /// The ring converges within a minute.
    func helperConverge(_ simulation: Simulation) -> Bool {
        return OverlaySimulationTests().converge(simulation, withinMilliseconds: 60_000).isEmpty
    }
}
