import Chord
import Crypto
import Reload
import Simulator
import Storage
import Testing
import Wire

@testable import Node

/// Request budgets and load shedding (RequestAdmission): a target node linked to requesters
/// that are real nodes, their messages carried between them by hand at a given time. A
/// refused request is answered Error_Request_Timeout before its signature is verified, and
/// its requester reports that at once.
@Suite struct RequestAdmissionTests {
    /// Nodes, each started alone, and the links between them: (node, link) to (node, link).
    final class Net {
        var nodes: [OverlayNode<InMemoryBackend>] = []
        var wires: [Int: [LinkId: (node: Int, link: LinkId)]] = [:]
        /// `.completed` results by node.
        var results: [Int: [RequestHandle: RequestResult]] = [:]
        let identities: PartIdentities

        init() throws {
            identities = try PartIdentities(seed: 41)
        }

        @discardableResult
        func add(at point: UInt128, user: String, configure: (inout NodeConfiguration) -> Void = { _ in }) throws -> Int {
            var configuration = PartFixtures.configuration()
            configuration.mayStartOverlay = true
            configure(&configuration)
            let index = nodes.count
            let node = OverlayNode(
                identity: try identities.identity(at: point, user: user), configuration: configuration,
                verifier: identities.verifier, random: try PartFixtures.random(UInt8(50 + index)),
                ownCandidates: [PartFixtures.address(UInt8(index + 1))], bootstrapAddresses: [], now: PartFixtures.time(0),
                backend: InMemoryBackend())
            nodes.append(node)
            _ = node.start(now: PartFixtures.time(0))
            return index
        }

        /// Links `a`'s link `linkA` with `b`'s link `linkB` (the runner verified both certificates).
        func link(_ a: Int, _ linkA: LinkId, _ b: Int, _ linkB: LinkId, at milliseconds: UInt64 = 0) {
            wires[a, default: [:]][linkA] = (b, linkB)
            wires[b, default: [:]][linkB] = (a, linkA)
            let time = PartFixtures.time(milliseconds)
            run(nodes[a].linkUp(
                linkA, nodeId: nodes[b].nodeId, userName: nodes[b].identity.userName, address: PartFixtures.address(UInt8(b + 1)),
                inbound: false, now: time), by: a, at: milliseconds)
            run(nodes[b].linkUp(
                linkB, nodeId: nodes[a].nodeId, userName: nodes[a].identity.userName, address: PartFixtures.address(UInt8(a + 1)),
                inbound: true, now: time), by: b, at: milliseconds)
        }

        /// Carries every send to the other end of its link, until nothing is left (bounded).
        func run(_ actions: [NodeAction], by index: Int, at milliseconds: UInt64) {
            var queue = actions.map { (index, $0) }
            var steps = 0
            while !queue.isEmpty && steps < 10_000 {
                steps += 1
                let (from, action) = queue.removeFirst()
                switch action {
                case .send(let message, let link):
                    guard let (to, toLink) = wires[from]?[link] else { continue }
                    queue += nodes[to].receive(message, on: toLink, now: PartFixtures.time(milliseconds)).map { (to, $0) }
                case .completed(let handle, let result):
                    results[from, default: [:]][handle] = result
                default:
                    continue
                }
            }
            #expect(steps < 10_000)
        }

        /// `index`'s RouteQuery to `target` (an ordinary request, straight over their link).
        func routeQuery(_ index: Int, to target: Int, at milliseconds: UInt64) -> RequestResult? {
            let (handle, actions) = nodes[index].routeQuery(.node(nodes[target].nodeId), now: PartFixtures.time(milliseconds))
            run(actions, by: index, at: milliseconds)
            return results[index]?[handle]
        }

        /// `index`'s Ping to `target` (maintenance when it goes straight over their link).
        func ping(_ index: Int, to target: Int, at milliseconds: UInt64) -> RequestResult? {
            let (handle, actions) = nodes[index].ping(.node(nodes[target].nodeId), now: PartFixtures.time(milliseconds))
            run(actions, by: index, at: milliseconds)
            return results[index]?[handle]
        }
    }

    static func isAnswered(_ result: RequestResult?) -> Bool {
        if case .routeQuery? = result { return true }
        return false
    }

    static func isRefused(_ result: RequestResult?, _ reason: String) -> Bool {
        if case .error(.requestTimeout, let text)? = result { return text.contains(reason) }
        return false
    }

    static func isPong(_ result: RequestResult?) -> Bool {
        if case .pong? = result { return true }
        return false
    }

    /// A target with a small budget per link, two links of user mallory, one of alice; the
    /// link exchanges at setup are over by 2 s.
    static func net(configure: (inout NodeConfiguration) -> Void) throws -> Net {
        let net = try Net()
        try net.add(at: 1 << 100, user: "target@parts.example", configure: configure)
        try net.add(at: 2 << 100, user: "mallory@parts.example")
        try net.add(at: 3 << 100, user: "mallory@parts.example")
        try net.add(at: 4 << 100, user: "alice@parts.example")
        for requester in 1...3 { net.link(0, requester, requester, 1) }
        return net
    }

    /// Over its link's burst a requester is answered Error_Request_Timeout "over budget" at
    /// once, and the target verifies none of those signatures; another link is unaffected;
    /// maintenance from the refused link still flows; the budget refills with time.
    @Test func aLinkOverItsBudgetIsRefusedBeforeVerifying() throws {
        let net = try Self.net { $0.requestsPerMinute = 60; $0.requestBurst = 3 }
        let target = net.nodes[0]
        let verifiedBefore = target.counters.signaturesVerified
        var outcomes: [RequestResult?] = []
        for _ in 0..<5 { outcomes.append(net.routeQuery(1, to: 0, at: 2_000)) }
        #expect(outcomes.prefix(3).allSatisfy { Self.isAnswered($0) }, "\(outcomes)")
        #expect(outcomes.suffix(2).allSatisfy { Self.isRefused($0, "over budget") }, "\(outcomes)")
        #expect(target.counters.refusedLinkBudget == 2)
        #expect(target.counters.signaturesVerified - verifiedBefore == 3)
        #expect(target.counters.errorsSent[ErrorCode.requestTimeout.rawValue] == 2)
        // The requester took the refusal as the answer: no retransmission, nothing pending.
        #expect(net.nodes[1].counters.retransmissions == 0 && net.nodes[1].status(now: PartFixtures.time(2_000)).pendingTransactions == 0)
        // Alice's link has its own budget.
        #expect(Self.isAnswered(net.routeQuery(3, to: 0, at: 2_000)))
        // Maintenance from the refused link is not charged to its budget.
        #expect(Self.isPong(net.ping(1, to: 0, at: 2_000)))
        #expect(target.counters.refusedMaintenanceBudget == 0)
        // A second later the link has one token again (60 a minute).
        #expect(Self.isAnswered(net.routeQuery(1, to: 0, at: 3_100)))
        #expect(Self.isRefused(net.routeQuery(1, to: 0, at: 3_100), "over budget"))
    }

    /// Two links of one user share the user's budget; a link of another user does not.
    @Test func twoLinksOfOneUserShareItsBudget() throws {
        let net = try Self.net { $0.requestBurst = 100; $0.userRequestsPerMinute = 60; $0.userRequestBurst = 4 }
        let target = net.nodes[0]
        #expect(Self.isAnswered(net.routeQuery(1, to: 0, at: 2_000)))
        #expect(Self.isAnswered(net.routeQuery(1, to: 0, at: 2_000)))
        #expect(Self.isAnswered(net.routeQuery(2, to: 0, at: 2_000)))
        #expect(Self.isAnswered(net.routeQuery(2, to: 0, at: 2_000)))
        let verified = target.counters.signaturesVerified
        #expect(Self.isRefused(net.routeQuery(1, to: 0, at: 2_000), "this user's nodes"))
        #expect(Self.isRefused(net.routeQuery(2, to: 0, at: 2_000), "this user's nodes"))
        #expect(target.counters.refusedUserBudget == 2 && target.counters.refusedLinkBudget == 0)
        #expect(target.counters.signaturesVerified == verified)
        #expect(Self.isAnswered(net.routeQuery(3, to: 0, at: 2_000)))
    }

    /// Above the verifications budget of the last second, new requests are shed; Pings from
    /// a neighbor's link still get their answer; a second later requests pass again.
    @Test func requestsAreShedAboveTheSignatureBudget() throws {
        let net = try Self.net { $0.verificationsPerSecond = 4 }
        let target = net.nodes[0]
        var outcomes: [RequestResult?] = []
        for _ in 0..<6 { outcomes.append(net.routeQuery(3, to: 0, at: 5_000)) }
        #expect(outcomes.prefix(4).allSatisfy { Self.isAnswered($0) }, "\(outcomes)")
        #expect(outcomes.suffix(2).allSatisfy { Self.isRefused($0, "overloaded") }, "\(outcomes)")
        #expect(target.counters.shedSignatureLoad == 2)
        #expect(target.status(now: PartFixtures.time(5_000)).signaturesLastSecond == 4)
        #expect(Self.isPong(net.ping(1, to: 0, at: 5_000)))
        #expect(Self.isAnswered(net.routeQuery(3, to: 0, at: 6_100)))
    }

    /// Above 7/8 of the transaction table, requests from others are shed, while the node's
    /// own requests still start and the answers to them are taken.
    @Test func requestsAreShedAboveTheTransactionTableMark() throws {
        let net = try Self.net { $0.maximumTransactions = 8 }
        let target = net.nodes[0]
        // Seven Pings of the target wait for answers that are held back: 7 of 8 entries.
        var held: [(RequestHandle, [NodeAction])] = []
        for _ in 0..<7 { held.append(target.ping(.node(net.nodes[1].nodeId), now: PartFixtures.time(2_000))) }
        #expect(target.status(now: PartFixtures.time(2_000)).pendingTransactions == 7)
        #expect(Self.isRefused(net.routeQuery(3, to: 0, at: 2_000), "overloaded"))
        #expect(target.counters.shedTransactionTable == 1)
        // The target's own request still goes out and is answered...
        #expect(Self.isPong(net.ping(0, to: 3, at: 2_000)))
        // ...and a neighbor's Ping is answered.
        #expect(Self.isPong(net.ping(1, to: 0, at: 2_000)))
        // The held Pings are delivered now: their answers come back and complete them.
        for (handle, actions) in held {
            net.run(actions, by: 0, at: 2_100)
            #expect(Self.isPong(net.results[0]?[handle]))
        }
        #expect(Self.isAnswered(net.routeQuery(3, to: 0, at: 2_100)))
    }

    /// The refusal answers of one link cost a signature each, so they have a budget too:
    /// beyond it a refused request is dropped, counted.
    @Test func refusalAnswersOfALinkAreBounded() throws {
        let net = try Self.net { $0.requestsPerMinute = 60; $0.requestBurst = 2; $0.refusalAnswersPerMinute = 60; $0.refusalAnswerBurst = 2 }
        let target = net.nodes[0]
        var outcomes: [RequestResult?] = []
        for _ in 0..<6 { outcomes.append(net.routeQuery(1, to: 0, at: 2_000)) }
        // 2 answered, 2 refusals answered, 2 dropped.
        #expect(outcomes.filter { Self.isAnswered($0) }.count == 2, "\(outcomes)")
        #expect(outcomes.filter { Self.isRefused($0, "over budget") }.count == 2, "\(outcomes)")
        #expect(outcomes.filter { $0 == nil }.count == 2, "\(outcomes)")
        #expect(target.counters.refusedLinkBudget == 4 && target.counters.refusalsDropped == 2)
    }

    /// The sliding second of verifications: ten slots of 100 ms, older ones forgotten.
    @Test func signatureLoadCountsTheLastSecond() {
        var load = SignatureLoad()
        let at = { (milliseconds: UInt64) in Instant.zero.adding(milliseconds: 10_000 + milliseconds) }
        for _ in 0..<3 { load.record(now: at(0)) }
        load.record(now: at(450))
        #expect(load.perSecond(now: at(450)) == 4)
        #expect(load.perSecond(now: at(999)) == 4)
        #expect(load.perSecond(now: at(1_000)) == 1)
        #expect(load.perSecond(now: at(1_450)) == 0)
        // A slot reused after a full turn counts only its new period.
        load.record(now: at(2_000))
        #expect(load.perSecond(now: at(2_000)) == 1)
    }
}

/// The Store budget per signing user (RequestAdmission.admitStore), checked after the
/// signature at the responsible node of a converged simulated overlay.
@Suite struct StoreBudgetTests {
    let storage = OverlayStorageTests()

    /// A user's primary Stores at one node past its burst are answered Error_Request_Timeout
    /// "too many Stores from this user"; those accepted still reach their replicas (which are
    /// not counted); another user still stores; a minute later the user may store again.
    @Test func aUserOverItsStoreBudgetIsRefusedAndOthersAreNot() throws {
        var configuration = OverlayStorageTests.configuration()
        configuration.storesPerMinute = 1
        configuration.storeBurst = 4
        let simulation = try storage.overlay(seed: 17, count: 10, configuration: configuration)
        simulation.run(milliseconds: 70_000)  // the certificate Stores of the joins are a minute old
        // A writer whose user's Resource-ID is another node's: its own Stores are not counted.
        var refusedWriter: Int? = nil
        var accepted = 0
        for writer in simulation.liveIndices {
            accepted = 0
            var refused = false
            for key in 0..<8 {
                switch storage.put(simulation, from: writer, at: storage.userResource(simulation, writer), storage.value("k\(key)", "v\(key)")) {
                case .stored?: accepted += 1
                case .error(.requestTimeout, let text)?:
                    #expect(text.contains("too many Stores from this user"), "\(text)")
                    refused = true
                case let other: Issue.record("writer \(writer) key \(key): \(String(describing: other))")
                }
                if refused { break }
            }
            if refused { refusedWriter = writer; break }
        }
        let writer = try #require(refusedWriter, "no writer was refused")
        #expect(accepted == 4, "accepted before the refusal: \(accepted)")
        let resource = storage.userResource(simulation, writer)
        simulation.run(milliseconds: 5_000)
        #expect(storage.holders(simulation, resource).count == 3, "the accepted Stores reached their replicas")
        let responsible = simulation.liveIndices.filter { simulation.nodes[$0].node.counters.refusedStoreBudget > 0 }
        #expect(responsible.count == 1)
        // Another user stores (at its own Resource-ID, USER-MATCH, wherever that is).
        let other = simulation.liveIndices.first { $0 != writer && $0 != responsible.first }!
        if case .stored? = storage.put(simulation, from: other, at: storage.userResource(simulation, other), storage.value("x", "y")) {} else {
            Issue.record("another user's Store was refused")
        }
        simulation.run(milliseconds: 61_000)
        if case .stored? = storage.put(simulation, from: writer, at: resource, storage.value("late", "v")) {} else {
            Issue.record("a minute later the user could not store")
        }
    }
}
