import Config
import Node

/// A scenario of `p2psip-sim`: what to simulate, read from a scenario file. This comment is the
/// reference of the format.
///
/// The file is `key = value` lines (Config's `KeyValueFile`): `#` starts a comment line, blank
/// lines are ignored, each key at most once, and a key left out keeps its default. Every value
/// is checked strictly; anything else is refused with the file, line and key.
///
/// Values:
/// - NUMBER: decimal digits with at most one '.' inside (`7`, `0.25`, `1.5`); no sign, no
///   exponent, at most 15 characters and 6 digits after the point.
/// - DURATION: NUMBER then a unit, directly or after one space: `250ms`, `30s`, `1.5 h`,
///   `20min`. Units `ms`, `s`, `min`, `h`; it must come to whole milliseconds.
/// - RATE: NUMBER`/s` or NUMBER`/min`, over the whole overlay unless said otherwise.
/// - FRACTION: a NUMBER from 0 to 1 (`0.25`; no percent sign).
/// - COST: NUMBER then `us` or `ms` (`260us`, `0.5 ms`).
///
/// | key | value | bounds | default |
/// |-----|-------|--------|---------|
/// | `name` | `[a-z0-9-]` | 1 ... 64 characters | `scenario` |
/// | `mode` | `full` (whole peers) or `routing-only` | | `full` |
/// | `peers` | integer | 2 ... 200000; `full` at most 20000 | `100` |
/// | `duration` | DURATION, simulated time after the join phase | 1s ... 24h | `10min` |
/// | `seed` | decimal integer | 0 ... 2^64-1 | `1` |
/// | `crypto` | `real` or `simulated` | | `simulated` |
/// | `join-phase` | DURATION over which the peers join | 0 ... 24h | `1min` |
/// | `quiet` | DURATION at the end without churn or workload, before the checkers | 0 ... 24h | `2min` |
/// | `churn-session` | `none`, `exponential MEDIAN` or `pareto MEDIAN SHAPE` (MEDIAN a DURATION) | median 1s ... 24h, shape 1.01 ... 10 | `none` |
/// | `churn-crash-fraction` | FRACTION of departures that are crashes (the others leave) | 0 ... 1 | `0.5` |
/// | `churn-downtime` | DURATION, median time offline before the peer rejoins | 1s ... 24h | `5min` |
/// | `delay` | `MIN..MAX` of DURATIONs, or one DURATION for both | 0 ≤ MIN ≤ MAX ≤ 10s | `5ms..40ms` |
/// | `loss` | FRACTION of messages lost | 0 ... 0.5 | `0` |
/// | `duplication` | FRACTION of messages delivered twice | 0 ... 0.5 | `0` |
/// | `stores` | RATE of Store requests | 0 ... 100000/s | `0/s` |
/// | `fetches` | RATE of Fetch requests | 0 ... 100000/s | `0/s` |
/// | `sip-registrations` | RATE of SIP registrations | 0 ... 100000/s | `0/s` |
/// | `sip-lookups` | RATE of SIP lookups | 0 ... 100000/s | `0/s` |
/// | `attackers` | `none` or `KIND FRACTION`, KIND one of `drop`, `misroute`, `not-found`, `fake-store`, `sybil`, `eclipse`, `replay`, `flood`, `alter` | fraction 0 ... 0.5 | `none` |
/// | `flood-rate` | RATE of requests per flooding attacker | 0 ... 10000/s | `50/s` |
/// | `revocations` | `none` or `TIME PEERS, TIME PEERS, ...` (TIME a DURATION since the start) | at most 64; times strictly increasing and within join-phase + duration; PEERS 1 ... peers | `none` |
/// | `cost-sign` | COST charged per signature | 0 ... 1s | `260us` |
/// | `cost-verify` | COST charged per signature verification | 0 ... 1s | `850us` |
/// | `cost-chain` | COST charged per certificate chain verification | 0 ... 1s | `900us` |
/// | `replication` | integer, copies of each stored value | 1 ... 8 | `3` |
/// | `routing-slots-per-user` | integer, the Sybil limit: neighbor and finger entries one user's nodes take at most (128: none; full mode) | 2 ... 128 | `2` |
/// | `misbehaviour-threshold` | integer, the points that ban a Node-ID (Misbehaviour; 0: no scoring, no bans; full mode) | 0 ... 10000 | `100` |
///
/// The checks between keys (full mode's peer bound, revocation times and counts, the order of
/// the delay bounds, attackers) run after the whole file is read, so keys come in any order.
/// `text` writes the canonical form, which reads back to an equal scenario.
public struct Scenario: Equatable, Sendable {
    public enum Mode: String, Sendable {
        case full
        case routingOnly = "routing-only"
    }

    /// How long a peer stays online before it departs.
    public enum SessionTime: Equatable, Sendable {
        case none
        case exponential(medianMilliseconds: UInt64)
        case pareto(medianMilliseconds: UInt64, shape: Double)
    }

    public enum AttackerKind: String, CaseIterable, Sendable {
        case drop, misroute, notFound = "not-found", fakeStore = "fake-store", sybil, eclipse, replay, flood, alter
    }

    /// At `atMilliseconds` after the start (join phase included), the CA revokes `peers` peers.
    public struct Revocation: Equatable, Sendable {
        public var atMilliseconds: UInt64
        public var peers: Int

        public init(atMilliseconds: UInt64, peers: Int) {
            self.atMilliseconds = atMilliseconds
            self.peers = peers
        }
    }

    /// The bounds of every number in a scenario, named so that messages and tests use the same.
    public enum Limits {
        public static let maximumNameLength = 64
        public static let minimumPeers = 2
        public static let maximumPeers = 200_000
        /// Whole peers cost far more memory and time than routing-only nodes.
        public static let maximumFullModePeers = 20_000
        public static let maximumPhaseMilliseconds: UInt64 = 24 * 3_600_000
        public static let minimumDurationMilliseconds: UInt64 = 1_000
        public static let maximumDelayMilliseconds: UInt64 = 10_000
        /// Loss, duplication and the attacker fraction: beyond half, nothing is left to measure.
        public static let maximumNetworkFraction = 0.5
        public static let maximumAttackerFraction = 0.5
        public static let maximumRatePerSecond = 100_000.0
        public static let maximumFloodRatePerSecond = 10_000.0
        public static let maximumCostMicroseconds = 1_000_000.0
        public static let minimumParetoShape = 1.01
        public static let maximumParetoShape = 10.0
        public static let maximumReplication = 8
        /// The board key's range (`routing-slots-per-user`, ChordTable.slotsPerOwner).
        public static let routingSlotsPerUser = 2...128
        /// The board key's range (`misbehaviour-threshold`).
        public static let misbehaviourThreshold = 0...10_000
        public static let maximumRevocations = 64
        /// Characters of a NUMBER: 15 digits stay below 2^53, so every value is an exact Double
        /// before scaling.
        public static let maximumNumberCharacters = 15
        /// Digits after the point: few enough that `text` can write every parsed value back
        /// exactly (see `Scenario.decimal`).
        public static let maximumFractionDigits = 6
        /// Characters of an integer (a UInt64 has at most 20 digits).
        public static let maximumIntegerCharacters = 20
    }

    public var name = "scenario"
    public var mode = Mode.full
    public var peers = 100
    public var durationMilliseconds: UInt64 = 600_000
    public var seed: UInt64 = 1
    public var crypto = SimulatedCryptoMode.simulated
    public var joinMilliseconds: UInt64 = 60_000
    public var quietMilliseconds: UInt64 = 120_000
    public var session = SessionTime.none
    public var crashFraction = 0.5
    public var downtimeMedianMilliseconds: UInt64 = 300_000
    public var delayMinimumMilliseconds: UInt64 = 5
    public var delayMaximumMilliseconds: UInt64 = 40
    public var loss = 0.0
    public var duplication = 0.0
    public var storesPerSecond = 0.0
    public var fetchesPerSecond = 0.0
    public var sipRegistrationsPerSecond = 0.0
    public var sipLookupsPerSecond = 0.0
    public var attackerKind: AttackerKind? = nil
    public var attackerFraction = 0.0
    public var floodRequestsPerSecond = 50.0
    public var revocations: [Revocation] = []
    public var signMicroseconds = 260.0
    public var verifyMicroseconds = 850.0
    public var chainMicroseconds = 900.0
    public var replicationFactor = 3
    public var routingSlotsPerUser = 2
    public var misbehaviourThreshold = MisbehaviourLimits().threshold

    public init() {}

    /// Every key, in the order `text` writes them.
    public static let keys = [
        "name", "mode", "peers", "duration", "seed", "crypto", "join-phase", "quiet",
        "churn-session", "churn-crash-fraction", "churn-downtime", "delay", "loss", "duplication",
        "stores", "fetches", "sip-registrations", "sip-lookups", "attackers", "flood-rate",
        "revocations", "cost-sign", "cost-verify", "cost-chain", "replication", "routing-slots-per-user",
        "misbehaviour-threshold",
    ]

    /// The canonical file: every key once, in `keys` order. Values that came from `parse` or
    /// `set` read back exactly; a Double set in code is written to 6 decimal places.
    public var text: String {
        var result = ""
        for key in Self.keys {
            result += "\(key) = \(value(of: key))\n"
        }
        return result
    }

    /// The canonical value of `key` (one of `keys`).
    func value(of key: String) -> String {
        switch key {
        case "name": return name
        case "mode": return mode.rawValue
        case "peers": return String(peers)
        case "duration": return Self.duration(durationMilliseconds)
        case "seed": return String(seed)
        case "crypto": return crypto == .real ? "real" : "simulated"
        case "join-phase": return Self.duration(joinMilliseconds)
        case "quiet": return Self.duration(quietMilliseconds)
        case "churn-session": return sessionText
        case "churn-crash-fraction": return Self.decimal(crashFraction)
        case "churn-downtime": return Self.duration(downtimeMedianMilliseconds)
        case "delay": return Self.duration(delayMinimumMilliseconds) + ".." + Self.duration(delayMaximumMilliseconds)
        case "loss": return Self.decimal(loss)
        case "duplication": return Self.decimal(duplication)
        case "stores": return Self.rate(storesPerSecond)
        case "fetches": return Self.rate(fetchesPerSecond)
        case "sip-registrations": return Self.rate(sipRegistrationsPerSecond)
        case "sip-lookups": return Self.rate(sipLookupsPerSecond)
        case "attackers": return attackerKind.map { "\($0.rawValue) \(Self.decimal(attackerFraction))" } ?? "none"
        case "flood-rate": return Self.rate(floodRequestsPerSecond)
        case "revocations": return revocationsText
        case "cost-sign": return Self.decimal(signMicroseconds) + "us"
        case "cost-verify": return Self.decimal(verifyMicroseconds) + "us"
        case "cost-chain": return Self.decimal(chainMicroseconds) + "us"
        case "replication": return String(replicationFactor)
        case "routing-slots-per-user": return String(routingSlotsPerUser)
        case "misbehaviour-threshold": return String(misbehaviourThreshold)
        default: return ""
        }
    }

    var sessionText: String {
        switch session {
        case .none: return "none"
        case .exponential(let median): return "exponential \(Self.duration(median))"
        case .pareto(let median, let shape): return "pareto \(Self.duration(median)) \(Self.decimal(shape))"
        }
    }

    var revocationsText: String {
        if revocations.isEmpty { return "none" }
        return revocations.map { "\(Self.duration($0.atMilliseconds)) \($0.peers)" }.joined(separator: ", ")
    }

    /// Milliseconds in the largest unit that holds them exactly ("90min", not "1.5h", so that
    /// the text never needs a point).
    static func duration(_ milliseconds: UInt64) -> String {
        if milliseconds == 0 { return "0s" }
        for (unit, size) in [("h", UInt64(3_600_000)), ("min", 60_000), ("s", 1_000)] where milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }

    /// `value` with at most `maximumFractionDigits` digits after the point, trailing zeros
    /// dropped. A value parsed from at most that many digits comes back exactly: it is within
    /// an ulp of the decimal it was read from, far less than half a unit of the last digit.
    static func decimal(_ value: Double) -> String {
        let scale = 1_000_000.0  // 10^maximumFractionDigits
        let scaled = value.magnitude * scale
        // Outside what a scenario can hold (NaN, infinities, huge values): let parse refuse it.
        guard scaled.isFinite, scaled < 1e18 else { return "\(value)" }
        // Rounded by adding a half and truncating: `rounded()` needs libm, which the host
        // executables do not link without Foundation.
        let units = UInt64(scaled + 0.5)
        var fraction = String(units % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        let sign = value < 0 && units > 0 ? "-" : ""
        return sign + String(units / 1_000_000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Per second if that reads back exactly, otherwise per minute ("1/min" is not a short
    /// decimal per second).
    static func rate(_ perSecond: Double) -> String {
        let seconds = decimal(perSecond) + "/s"
        if (try? parseRate(seconds[...])) == perSecond { return seconds }
        let minutes = decimal(perSecond * 60) + "/min"
        if (try? parseRate(minutes[...])) == perSecond { return minutes }
        return seconds
    }
}

/// Why a scenario was refused: the file, line (0 for a command-line override or a check
/// without a line) and key, and what was expected.
public struct ScenarioError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var key: String
    public var message: String

    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// The line format's errors keep their place, so that both read the same.
    public init(_ error: BoardConfigError) {
        self.init(file: error.file, line: error.line, key: error.key, message: error.message)
    }

    /// "big.scenario:7: churn-session: unknown distribution 'gauss' (expected none, ...)"
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
