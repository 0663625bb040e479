/// A routing-only scenario (mode = routing-only) as a report: the converged tables of
/// `scenario.peers` peers, and as many lookups as the scenario's fetches and SIP lookups make
/// over its duration (at least 10,000), dropped by attackers of kind drop (or sybil/eclipse,
/// which drop too) when the scenario has them. Only the routing metrics have values.
public enum RoutingOnlyRun {
    /// Lookups of a routing-only run at most (each is a walk of a few table look-ups).
    public static let maximumLookups = 1_000_000
    public static let minimumLookups = 10_000

    public static func report(_ scenario: Scenario) -> (ScenarioReport, UInt64) {
        let sizes = RoutingOnlySimulation.nodeTableSizes
        var simulation = RoutingOnlySimulation(
            peers: scenario.peers, seed: scenario.seed, successors: sizes.successors, predecessors: sizes.predecessors, fingers: sizes.fingers)
        let rate = scenario.fetchesPerSecond + scenario.sipLookupsPerSecond
        let wanted = Int(min(Double(maximumLookups), max(Double(minimumLookups), rate * Double(scenario.durationMilliseconds) / 1000)))
        let dropping: Double
        switch scenario.attackerKind {
        case .drop?, .sybil?, .eclipse?: dropping = scenario.attackerFraction
        default: dropping = 0
        }
        let result = simulation.lookups(count: wanted, droppingFraction: dropping)
        var report = ScenarioReport()
        report.summary = [
            ("name", scenario.name), ("mode", scenario.mode.rawValue), ("peers", String(scenario.peers)),
            ("duration_s", String(scenario.durationMilliseconds / 1000)),
            ("attacker_kind", dropping > 0 ? scenario.attackerKind!.rawValue : "none"),
            ("attacker_fraction", ScenarioReport.decimal(dropping)),
            ("churn_session_median_s", "0"), ("churn_events_per_peer_per_hour", "0"),
            ("lookups", String(result.lookups)),
            ("lookup_success", ScenarioReport.decimal(result.successRate)),
            ("lookup_latency_median_ms", ""), ("lookup_latency_p99_ms", ""),
            ("hops_median", String(result.medianHops)), ("hops_p99", String(result.p99Hops)),
            ("hops_maximum", String(result.maximumHops)),
            ("records_acknowledged", ""), ("records_surviving", ""), ("survival_fraction", ""),
            ("maintenance_messages_per_peer_per_s", ""), ("maintenance_bytes_per_peer_per_s", ""),
            ("cpu_ms_per_peer_per_s", ""), ("revocation_cutoff_s", ""),
            ("table_bytes_per_peer", String(simulation.memoryBytesEstimate / max(1, scenario.peers))),
            ("violations", "0"),
        ]
        report.hops = result.hopCounts
        return (report, UInt64(result.lookups))
    }
}
