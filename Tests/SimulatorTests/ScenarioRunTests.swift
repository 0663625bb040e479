import Node
import Reload
import Testing
import Wire

@testable import Simulator

/// Small seeded scenarios of whole-protocol runs (OverlayNodes on the simulated network) and
/// their checkers: an honest overlay passes every checker; each kind of insider leaves the
/// safety checkers (no forged value accepted, no spinning peer, every table bounded) passing;
/// the same scenario gives the same report.
@Suite struct ScenarioRunTests {
    static func scenario(peers: Int = 40, attackers: Scenario.AttackerKind? = nil, fraction: Double = 0.2) -> Scenario {
        var scenario = Scenario()
        scenario.name = "test"
        scenario.peers = peers
        scenario.joinMilliseconds = 40_000
        scenario.durationMilliseconds = 180_000
        scenario.quietMilliseconds = 120_000
        scenario.storesPerSecond = 2
        scenario.fetchesPerSecond = 4
        scenario.sipRegistrationsPerSecond = 1
        scenario.sipLookupsPerSecond = 2
        scenario.floodRequestsPerSecond = 5
        if let attackers {
            scenario.attackerKind = attackers
            scenario.attackerFraction = fraction
        }
        return scenario
    }

    static func run(_ scenario: Scenario) throws -> (ScenarioReport, ScenarioRun) {
        let runner = try ScenarioRun(scenario: scenario, configuration: NodeConfiguration(overlayName: "sim.example"))
        return (try runner.run(), runner)
    }

    static func value(_ report: ScenarioReport, _ metric: String) -> String? {
        report.summary.first { $0.0 == metric }?.1
    }

    @Test func anHonestOverlayPassesEveryChecker() throws {
        let (report, runner) = try Self.run(Self.scenario())
        #expect(report.violations.isEmpty, "\(report.violations)")
        let bans = runner.simulation.nodes.reduce(0) { $0 + $1.node.status(now: runner.simulation.time).bansImposed }
        #expect(bans == 0, "honest peers were banned")
        #expect(runner.metrics.lookups > 500)
        #expect(Self.value(report, "lookup_success") == "1.000")
        #expect(Self.value(report, "survival_fraction") == "1.000")
        #expect(runner.metrics.hops.keys.contains { $0 >= 2 }, "no lookup took two hops or more: \(runner.metrics.hops)")
    }

    @Test(arguments: Scenario.AttackerKind.allCases)
    func insidersNeverMakeHonestPeersAcceptForgeriesOrSpin(kind: Scenario.AttackerKind) throws {
        let (report, runner) = try Self.run(Self.scenario(attackers: kind))
        #expect(runner.attackers.count == 8)
        let safety = report.violations.filter { $0.hasPrefix("forgery") || $0.hasPrefix("spin") || $0.hasPrefix("bound") }
        #expect(safety.isEmpty, "\(kind): \(safety)")
        #expect(runner.metrics.lookups > 300, "\(kind): \(runner.metrics.lookups) lookups")
        #expect(runner.metrics.forged == 0)
    }

    @Test func dropAttackersCostLookupsThatAnHonestRunGets() throws {
        let (honest, _) = try Self.run(Self.scenario(peers: 60))
        let (attacked, _) = try Self.run(Self.scenario(peers: 60, attackers: .drop, fraction: 0.3))
        let success = { (report: ScenarioReport) in Double(Self.value(report, "lookup_success") ?? "") ?? -1 }
        #expect(success(honest) == 1)
        #expect(success(attacked) < success(honest), "dropping 30 % cost nothing: the attack or the measure does not work")
    }

    /// §6.3.4 check 2: a forwarder's signed Error_Not_Found for what it should forward is
    /// dropped by the requester and the lookup sent again by another path. Without the check
    /// this scenario's lookups succeeded 74 % of the time (p2psip-sim, same scenario, seed 1);
    /// with it 92 %.
    @Test func notFoundFromForwardersIsDroppedAndSentAgain() throws {
        let (report, runner) = try Self.run(Self.scenario(attackers: .notFound))
        let dropped = runner.simulation.nodes.indices.filter { !runner.attackers.contains($0) }
            .reduce(0) { $0 + runner.simulation.nodes[$1].node.counters.droppedNotResponsible }
        #expect(dropped > 0)
        let success = Double(Self.value(report, "lookup_success") ?? "") ?? -1
        #expect(success >= 0.85, "not-found insiders at 20 %: \(success) of lookups succeeded")
    }

    /// Misbehaviour scores: forwarders that answer not-found for what they should forward fail
    /// check 2, are charged for it and banned by the peers they lie to; no honest peer is.
    @Test func notFoundLiarsAreBannedAndHonestPeersAreNot() throws {
        let (_, runner) = try Self.run(Self.scenario(attackers: .notFound))
        let liars = Set(runner.attackers.flatMap { index in
            [runner.simulation.nodes[index].identity.nodeId.hex, "user " + runner.simulation.nodes[index].identity.userName]
        })
        var banned: Set<String> = []
        for index in runner.simulation.nodes.indices where !runner.attackers.contains(index) {
            let status = runner.simulation.nodes[index].node.status(now: runner.simulation.time)
            for suspect in status.misbehaviour where suspect.bannedMilliseconds > 0 { banned.insert(suspect.subject) }
        }
        #expect(!banned.isEmpty, "no liar was banned")
        #expect(banned.isSubset(of: liars), "honest peers banned: \(banned.subtracting(liars))")
    }

    /// In one process two runs may differ: Swift seeds each dictionary's hashing by its
    /// address unless SWIFT_DETERMINISTIC_HASHING is set, and the Node walks some
    /// dictionaries. p2psip-sim sets it for itself (P2PSIPSimTests check its output bytes);
    /// here the reports must still agree on what the scenario decides.
    @Test func theSameScenarioGivesTheSameOutcome() throws {
        var scenario = Self.scenario(attackers: .misroute, fraction: 0.1)
        scenario.session = .exponential(medianMilliseconds: 120_000)
        scenario.revocations = [Scenario.Revocation(atMilliseconds: 100_000, peers: 2)]
        let first = try Self.run(scenario).0
        let second = try Self.run(scenario).0
        // What the scenario decides (who attacks, who leaves and returns, who is revoked);
        // outcomes such as acknowledged records may differ by the hashing of the Node's
        // dictionaries, which P2PSIPSimTests fixes per process and checks to the byte.
        for metric in ["attackers", "churn_events_per_peer_per_hour"] {
            #expect(Self.value(first, metric) == Self.value(second, metric), "\(metric)")
        }
        #expect(first.revocations == second.revocations)
    }

    @Test func aRevokedPeerIsCutOff() throws {
        var scenario = Self.scenario()
        scenario.revocations = [Scenario.Revocation(atMilliseconds: 60_000, peers: 2)]
        let (report, _) = try Self.run(scenario)
        #expect(report.revocations.count == 2)
        // Every peer installs the list within the fetch window and closes its links to the
        // revoked peers (as PeerCore does); the cut-off is checked every 5 s.
        let cutOff = Self.value(report, "revocation_cutoff_s") ?? ""
        let bound = (ScenarioRun.revocationFetchWindowMilliseconds + ScenarioRun.cutOffCheckMilliseconds) / 1000
        #expect(UInt64(cutOff).map { $0 <= bound } == true, "cut off after \(cutOff) s")
    }

    /// The forgery checker itself: a value never stored under the key is a forgery, an older
    /// one is stale, the acknowledged one succeeds.
    @Test func theFetchCheckerTellsForgedFromStale() throws {
        let runner = try ScenarioRun(scenario: Self.scenario(peers: 2), configuration: NodeConfiguration(overlayName: "sim.example"))
        let record = RecordKey(resource: ResourceId(bytes: [UInt8](repeating: 1, count: 16))!, key: Array("k1".utf8))
        runner.records[record] = RecordHistory(values: [Array("v1".utf8), Array("v5".utf8)], acknowledged: (Array("v5".utf8), 5))
        func answer(_ text: String) -> RequestResult {
            let value = StoredDataValue.dictionary(DictionaryEntry(key: record.key, value: DataValue(value: Array(text.utf8))))
            let stored = StoredData(storageTime: 1, lifetime: 60, value: value, signature: .synthesized)
            let response = FetchKindResponse(kind: ScenarioRun.workloadKind, generation: 1, values: .known([stored]))
            return .fetched(responder: NodeId(bytes: [UInt8](repeating: 2, count: 16))!, answer: FetchAns(kindResponses: [response]), dropped: 0, asked: 1)
        }
        #expect(runner.fetchOutcome(answer("v5"), record: record, expected: Array("v5".utf8), sequence: 5) == .succeeded)
        #expect(runner.fetchOutcome(answer("v1"), record: record, expected: Array("v5".utf8), sequence: 5) == .stale)
        #expect(runner.fetchOutcome(answer("v9"), record: record, expected: Array("v5".utf8), sequence: 5) == .forged)
        #expect(runner.fetchOutcome(.failed("timeout"), record: record, expected: Array("v5".utf8), sequence: 5) == .failed)
    }
}
