import Crypto
import Chord
import Node
import Reload
import Storage
import Wire

// The minute samples, the checkers and the report.
extension ScenarioRun {
    var livePeers: Int { simulation.nodes.reduce(0) { $0 + ($1.alive ? 1 : 0) } }

    func sample() {
        let seconds = Double(simulation.now.milliseconds(since: lastSample.time)) / 1000
        let traffic = simulation.traffic
        let live = max(1, livePeers)
        let messages = Double(traffic.maintenanceMessages - lastSample.traffic.maintenanceMessages) / Double(live) / max(seconds, 1)
        let bytes = Double(traffic.maintenanceBytes - lastSample.traffic.maintenanceBytes) / Double(live) / max(seconds, 1)
        let lookups = metrics.lookups - lastSample.lookups
        let succeeded = metrics.succeeded - lastSample.succeeded
        let success = lookups > 0 ? ScenarioReport.decimal(Double(succeeded) / Double(lookups)) : ""
        rows.append([
            String(simulation.now.milliseconds(since: start) / 1000), String(livePeers), String(lookups), success,
            ScenarioReport.decimal(messages), ScenarioReport.decimal(bytes, places: 1), String(recordKeys.count), "",
        ].joined(separator: ","))
        lastSample = (simulation.now, traffic, metrics.lookups, metrics.succeeded)
        progress?("\(simulation.now.milliseconds(since: start) / 1000) s simulated: \(livePeers) live, \(simulation.eventsHandled) events, \(simulation.events.count) queued, \(metrics.lookups) lookups")
        if simulation.now < end { timeline.push(.sample, at: simulation.now.adding(milliseconds: ScenarioRun.sampleMilliseconds)) }
    }

    /// The r live peers responsible for `resource` (§10.4): the first live Node-ID at or after
    /// it and its successors.
    func replicaSet(_ resource: ResourceId, sorted: [(id: NodeId, index: Int)]) -> [Int] {
        guard !sorted.isEmpty else { return [] }
        let target = NodeId(bytes: resource.bytes)!
        var first = 0
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].id < target { low = middle + 1 } else { high = middle }
        }
        first = low == sorted.count ? 0 : low
        return (0..<min(scenario.replicationFactor, sorted.count)).map { sorted[(first + $0) % sorted.count].index }
    }

    /// The value peer `index` holds for `record`, if any.
    func heldValue(_ record: RecordKey, at index: Int) -> [UInt8]? {
        let specifier = StoredDataSpecifier(kind: ScenarioRun.workloadKind, generation: 0, modelSpecifier: .dictionary(keys: [record.key]))
        guard let answer = try? simulation.nodes[index].node.records.fetch(
            FetchReq(resource: record.resource, specifiers: [specifier]), now: simulation.time.wall)
        else { return nil }
        for stored in answer.kindResponses.flatMap({ $0.values.values ?? [] }) {
            if case .dictionary(let entry) = stored.value, entry.key == record.key, entry.value.exists { return entry.value.value }
        }
        return nil
    }

    /// Checkers: the ring (without attackers), replicas of every surviving record (without
    /// attackers), no forged value accepted, every table within its bound.
    func check(surviving: inout Int) -> [String] {
        var violations: [String] = []
        let honestRun = attackers.isEmpty
        if honestRun {
            let problems = simulation.ringProblems()
            let unjoined = problems.filter { !$0.contains(":") }
            if !unjoined.isEmpty { violations.append("ring: \(unjoined.count) live peers not joined, first: \(unjoined.prefix(3).joined(separator: "; "))") }
            let wrong = problems.filter { $0.contains(":") }
            if !wrong.isEmpty { violations.append("ring: \(wrong.count) wrong neighbor lists, first: \(wrong.prefix(3).joined(separator: "; "))") }
        }
        let sorted = simulation.sortedLive
        let live = simulation.liveIndices
        var underReplicated = 0
        var example = ""
        for record in recordKeys {
            guard let acknowledged = records[record]?.acknowledged else { continue }
            let replicas = replicaSet(record.resource, sorted: sorted)
            let holding = replicas.filter { holds(record, acknowledged, at: $0) }.count
            let somewhere = holding > 0 || sorted.contains { holds(record, acknowledged, at: $0.index) }
            if somewhere { surviving += 1 }
            if honestRun && somewhere && holding < replicas.count {
                underReplicated += 1
                if example.isEmpty { example = "\(Hex.encode(record.resource.bytes).prefix(8)) on \(holding) of \(replicas.count)" }
            }
        }
        if underReplicated > 0 { violations.append("replicas: \(underReplicated) surviving records below \(scenario.replicationFactor) copies after the quiet period (e.g. \(example))") }
        if metrics.forged > 0 { violations.append("forgery: honest peers accepted \(metrics.forged) values never stored") }
        let configuration = simulation.configuration
        for index in live {
            let status = simulation.nodes[index].node.status(now: simulation.time)
            if status.links.count > configuration.maximumLinks { violations.append("bound: peer \(index) has \(status.links.count) links"); break }
            if status.pendingTransactions > configuration.maximumTransactions {
                violations.append("bound: peer \(index) has \(status.pendingTransactions) transactions"); break
            }
            if status.storedRecords > UInt64(configuration.storageQuota.recordsPerPeer) {
                violations.append("bound: peer \(index) stores \(status.storedRecords) records"); break
            }
            if status.pendingHandoffs > configuration.maximumHandoffJobs {
                violations.append("bound: peer \(index) has \(status.pendingHandoffs) hand-offs"); break
            }
        }
        if let spin = simulation.firstSpin {
            violations.append("spin: a peer's deadline stayed in the past for over \(Simulation.maximumSpins) ticks in a row (\(spin))")
        }
        if simulation.captured.values.contains(where: { $0.count > Simulation.capturedPerAttacker }) { violations.append("bound: replay capture") }
        return violations
    }

    /// True when peer `index` holds the acknowledged value of `record` or a newer one.
    func holds(_ record: RecordKey, _ acknowledged: (value: [UInt8], sequence: UInt64), at index: Int) -> Bool {
        guard let value = heldValue(record, at: index) else { return false }
        if value == acknowledged.value { return true }
        return ScenarioRun.sequence(of: value) > acknowledged.sequence
    }

    func report() -> ScenarioReport {
        var report = ScenarioReport()
        var surviving = 0
        report.violations = check(surviving: &surviving)
        let seconds = Double(scenario.durationMilliseconds) / 1000
        let peers = Double(scenario.peers)
        let traffic = simulation.traffic
        let cpu = Double(cryptoSignatures) * scenario.signMicroseconds + Double(cryptoVerifications) * scenario.verifyMicroseconds
            + Double(cryptoChains) * scenario.chainMicroseconds
        let total = Double(scenario.joinMilliseconds + scenario.durationMilliseconds + scenario.quietMilliseconds) / 1000
        let churnPerHour = Double(metrics.departures) / peers / (seconds / 3600)
        var summary: [(String, String)] = [
            ("name", scenario.name), ("mode", scenario.mode.rawValue), ("peers", String(scenario.peers)),
            ("duration_s", String(scenario.durationMilliseconds / 1000)),
            ("attacker_kind", scenario.attackerKind?.rawValue ?? "none"),
            ("attacker_fraction", ScenarioReport.decimal(attackers.isEmpty ? 0 : Double(attackers.count) / peers)),
            ("attackers", String(attackers.count)),
            ("churn_session_median_s", String(sessionMedianSeconds)),
            ("churn_events_per_peer_per_hour", ScenarioReport.decimal(churnPerHour)),
            ("lookups", String(metrics.lookups)),
            ("lookup_success", metrics.lookups > 0 ? ScenarioReport.decimal(Double(metrics.succeeded) / Double(metrics.lookups)) : ""),
            ("lookups_stale", String(metrics.stale)),
            ("lookups_forged", String(metrics.forged)),
            ("lookup_latency_median_ms", ScenarioMetrics.percentile(50, of: metrics.latencies).map { String($0) } ?? ""),
            ("lookup_latency_p99_ms", ScenarioMetrics.percentile(99, of: metrics.latencies).map { String($0) } ?? ""),
            ("hops_median", ScenarioMetrics.percentile(50, of: metrics.hops).map { String($0) } ?? ""),
            ("hops_p99", ScenarioMetrics.percentile(99, of: metrics.hops).map { String($0) } ?? ""),
            ("stores_acknowledged", String(metrics.storesAcknowledged)),
            ("stores_failed", String(metrics.storesFailed)),
            ("records_acknowledged", String(recordKeys.count)),
            ("records_surviving", String(surviving)),
            ("survival_fraction", recordKeys.isEmpty ? "" : ScenarioReport.decimal(Double(surviving) / Double(recordKeys.count))),
            ("maintenance_messages_per_peer_per_s", ScenarioReport.decimal(Double(traffic.maintenanceMessages) / peers / total)),
            ("maintenance_bytes_per_peer_per_s", ScenarioReport.decimal(Double(traffic.maintenanceBytes) / peers / total, places: 1)),
            ("workload_messages", String(traffic.workloadMessages)),
            ("messages_delivered", String(simulation.messagesDelivered)),
            ("messages_lost", String(simulation.messagesLost)),
            ("spinning_ticks", String(simulation.spinningTicks)),
            ("flood_requests", String(metrics.floodRequests)),
            ("signatures", String(cryptoSignatures)), ("verifications", String(cryptoVerifications)),
            ("chain_verifications", String(cryptoChains)),
            ("cpu_ms_per_peer_per_s", ScenarioReport.decimal(cpu / 1000 / peers / total)),
        ]
        var cutOffs: [String] = []
        for entry in revoked {
            let at = entry.at.milliseconds(since: start) / 1000
            report.revocations.append("\(at),\(entry.peer),\(entry.cutOff.map { String($0.milliseconds(since: start) / 1000) } ?? "")")
            cutOffs.append(entry.cutOff.map { String($0.milliseconds(since: entry.at) / 1000) } ?? "never")
        }
        let cutOff: String
        if cutOffs.isEmpty { cutOff = "" } else if cutOffs.contains("never") { cutOff = "never" } else {
            cutOff = String(cutOffs.compactMap { UInt64($0) }.max() ?? 0)
        }
        summary.append(("revocation_cutoff_s", cutOff))
        let bans = misbehaviourBans()
        summary.append(("bans_imposed", String(bans.imposed)))
        summary.append(("bans_in_force_on_attackers", String(bans.onAttackers)))
        summary.append(("bans_in_force_on_honest", String(bans.onHonest)))
        summary.append(("errors_sent", errorsSent()))
        summary.append(("violations", String(report.violations.count)))
        report.summary = summary
        report.hops = metrics.hops
        for (latency, count) in metrics.latencies { report.latencyBuckets[latency / 10 * 10, default: 0] += count }
        report.timeline = rows
        report.traffic = traffic.rows(peerSeconds: peers * total)
        if let last = report.timeline.popLast() {
            report.timeline.append(last + String(surviving))
        }
        return report
    }

    var sessionMedianSeconds: UInt64 {
        switch scenario.session {
        case .none: return 0
        case .exponential(let median), .pareto(let median, _): return median / 1000
        }
    }

    /// The error answers the live peers sent over the run, by RFC name, most first
    /// ("Error_Data_Too_Old 120; Error_Forbidden 3"; empty for none).
    func errorsSent() -> String {
        var counts: [UInt16: Int] = [:]
        for index in simulation.liveIndices {
            for (code, count) in simulation.nodes[index].node.counters.errorsSent { counts[code, default: 0] += count }
        }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\(ErrorCode(rawValue: $0.key)?.rfcName ?? String($0.key)) \($0.value)" }.joined(separator: "; ")
    }

    /// Bans the honest live peers imposed over the run, and those in force at its end on an
    /// attacker's or an honest peer's Node-ID or user (Misbehaviour).
    func misbehaviourBans() -> (imposed: Int, onAttackers: Int, onHonest: Int) {
        var subjects: [String: Bool] = [:]
        for index in simulation.nodes.indices {
            let identity = simulation.nodes[index].identity
            subjects[identity.nodeId.hex] = attackers.contains(index)
            subjects["user " + identity.userName] = attackers.contains(index) || (subjects["user " + identity.userName] ?? false)
        }
        var imposed = 0
        var onAttackers = 0
        var onHonest = 0
        for index in simulation.nodes.indices where simulation.nodes[index].alive && !attackers.contains(index) {
            let status = simulation.nodes[index].node.status(now: simulation.time)
            imposed += status.bansImposed
            for suspect in status.misbehaviour where suspect.bannedMilliseconds > 0 {
                if subjects[suspect.subject] == true { onAttackers += 1 } else { onHonest += 1 }
            }
        }
        return (imposed, onAttackers, onHonest)
    }
}
