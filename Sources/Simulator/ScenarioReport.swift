/// What a run measured, as the CSV files p2psip-sim writes (one per metric; see the README's
/// simulator section for the columns). Everything in it follows from the scenario and its
/// seed: the same scenario gives the same bytes.
public struct ScenarioReport: Sendable {
    /// summary.csv: metric → value, in this order.
    public var summary: [(String, String)] = []
    /// hops.csv: hops → lookups.
    public var hops: [Int: Int] = [:]
    /// latency.csv: 10 ms bucket (lower edge) → lookups.
    public var latencyBuckets: [UInt64: Int] = [:]
    /// timeline.csv rows, already formatted.
    public var timeline: [String] = []
    /// revocations.csv rows, already formatted.
    public var revocations: [String] = []
    /// traffic.csv rows (message code, messages, bytes, messages per peer per second).
    public var traffic: [String] = []
    /// What the checkers found wrong; the run fails when it is not empty.
    public var violations: [String] = []

    public init() {}

    public static let timelineHeader =
        "time_s,live_peers,lookups,lookup_success,maintenance_messages_per_peer_per_s,maintenance_bytes_per_peer_per_s,records_acknowledged,records_surviving"

    /// File name → contents.
    public var files: [(String, String)] {
        var result: [(String, String)] = []
        result.append(("summary.csv", "metric,value\n" + summary.map { "\($0.0),\($0.1)\n" }.joined()))
        if !hops.isEmpty {
            result.append(("hops.csv", "hops,count\n" + hops.keys.sorted().map { "\($0),\(hops[$0]!)\n" }.joined()))
        }
        if !latencyBuckets.isEmpty {
            result.append(("latency.csv", "bucket_ms,count\n" + latencyBuckets.keys.sorted().map { "\($0),\(latencyBuckets[$0]!)\n" }.joined()))
        }
        if !timeline.isEmpty {
            result.append(("timeline.csv", ScenarioReport.timelineHeader + "\n" + timeline.map { $0 + "\n" }.joined()))
        }
        if !revocations.isEmpty {
            result.append(("revocations.csv", "revoked_at_s,peer,cut_off_at_s\n" + revocations.map { $0 + "\n" }.joined()))
        }
        if !traffic.isEmpty {
            result.append(("traffic.csv", "code,messages,bytes,per_peer_per_s\n" + traffic.map { $0 + "\n" }.joined()))
        }
        return result
    }

    /// `value` with `places` decimals, rounded half away from zero (no Foundation formatting).
    public static func decimal(_ value: Double, places: Int = 3) -> String {
        guard value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = UInt64(scaled / scale)
        let fraction = UInt64(scaled - Double(whole) * scale)
        var text = String(fraction)
        while text.count < places { text = "0" + text }
        return (value < 0 && scaled > 0 ? "-" : "") + String(whole) + (places > 0 ? "." + text : "")
    }
}
