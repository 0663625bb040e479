/// How a lookup (a Fetch of a stored value or a SIP lookup) ended.
public enum LookupOutcome: Equatable, Sendable {
    /// The acknowledged value (or a newer one).
    case succeeded
    /// An older value than the one acknowledged when the lookup started.
    case stale
    /// Nothing right: not found, an error, no answer.
    case failed
    /// A value that was never stored under that key: an honest peer accepted a forgery.
    case forged
}

/// What a scenario run counts. Histograms are keyed by whole values so that reports are exact
/// and deterministic.
public struct ScenarioMetrics: Equatable, Sendable {
    public var lookups = 0
    public var succeeded = 0
    public var stale = 0
    public var forged = 0
    /// Latency in milliseconds → lookups, of the lookups that were answered.
    public var latencies: [UInt64: Int] = [:]
    /// Peers reached (hops) → lookups.
    public var hops: [Int: Int] = [:]
    public var storesAcknowledged = 0
    public var storesFailed = 0
    public var departures = 0
    public var floodRequests = 0
    public var notStarted = 0

    mutating func lookup(_ outcome: LookupOutcome, latency: UInt64?, hops reached: Int?) {
        lookups += 1
        switch outcome {
        case .succeeded: succeeded += 1
        case .stale: stale += 1
        case .forged: forged += 1
        case .failed: break
        }
        if let latency { latencies[latency, default: 0] += 1 }
        if let reached { hops[reached, default: 0] += 1 }
    }

    /// Nearest rank: the smallest key k with at least ⌈percent·total/100⌉ entries ≤ k; nil
    /// when the histogram is empty. In integers, so no rounding decides a rank.
    static func percentile<Key: BinaryInteger>(_ percent: Int, of histogram: [Key: Int]) -> Key? {
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, (percent * total + 99) / 100)
        var seen = 0
        for key in histogram.keys.sorted() {
            seen += histogram[key]!
            if seen >= rank { return key }
        }
        return histogram.keys.max()
    }
}
