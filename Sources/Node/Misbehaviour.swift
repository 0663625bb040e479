import Chord
import Reload
import Wire

/// Misbehaviour scores and temporary bans, per Node-ID and per user (RFC 6940 §13.6 asks an
/// overlay to limit what a bad peer can do; §13.5.4 names bad storing and routing peers). Each
/// offence the node can attribute adds points to the Node-ID that committed it and to its
/// user; points fade linearly over time; a score at the threshold bans the Node-ID (or every
/// Node-ID of the user) until the ban expires: links closed and refused, no routes through it,
/// its messages dropped.
///
/// Only what is proven is charged. An answer that fails §6.3.4 check 2 was signed by its
/// sender; a bad signature or malformed bytes count only when the link's own peer sent them
/// (the DTLS link proves who that is; a forwarder is not blamed for what it passes on). A first
/// hop that gave no answer while another first hop then did is charged a little, and each
/// answer through a hop takes points off: an honest hop whose paths sometimes hold a dropper
/// further on is credited by its other answers, one that drops everything is not.
///
/// Both tables are bounded (`capacity`): a new entry takes the place of the lowest score that
/// is not banned, or is not kept when every entry is banned.
struct Misbehaviour {
    enum Offence: Int, CaseIterable, Sendable {
        case badSignature, notResponsible, routeFailed, protocolViolation

        /// Points per offence: a forged or broken signature from the link's own peer, and an
        /// answer its signer could not give, are deliberate; a route that failed may be bad luck.
        var points: Int {
            switch self {
            case .badSignature: return 40
            case .notResponsible: return 25
            case .protocolViolation: return 25
            case .routeFailed: return 5
            }
        }

        var name: String {
            switch self {
            case .badSignature: return "bad signature"
            case .notResponsible: return "answer from a node not responsible"
            case .routeFailed: return "route failed"
            case .protocolViolation: return "malformed message"
            }
        }
    }

    /// Points an answer through a first hop takes off its score.
    static let routeAnsweredCredit = 20
    /// A user's Node-IDs share one score whose threshold is this many times a Node-ID's: one
    /// user's several identities (up to routing-slots-per-user in the table) cannot each stay
    /// just under the threshold.
    static let userThresholdFactor = 2

    struct Score: Equatable, Sendable {
        var points: Int
        var updated: Instant
        var bannedUntil: Instant?
        var offences: Int
    }

    let limits: MisbehaviourLimits
    private(set) var nodes: [NodeId: Score] = [:]
    private(set) var users: [String: Score] = [:]
    private(set) var bansImposed = 0
    private(set) var untracked = 0

    /// Failed routes through first hops, not charged yet: a hop silent since may be dead (its
    /// link fails soon and the entry goes, `takeRouteFailures`); one heard from again is alive
    /// and is charged then. Only linked peers have entries, so at most one per link.
    private(set) var unheardRouteFailures: [NodeId: Int] = [:]

    init(limits: MisbehaviourLimits) {
        self.limits = limits
    }

    /// A request routed through `node` got no answer there, and another path answered.
    mutating func routeFailed(through node: NodeId) {
        guard isEnabled else { return }
        unheardRouteFailures[node, default: 0] += 1
    }

    /// The failed routes through `node` not charged yet; forgotten here.
    mutating func takeRouteFailures(of node: NodeId) -> Int {
        guard !unheardRouteFailures.isEmpty else { return 0 }
        return unheardRouteFailures.removeValue(forKey: node) ?? 0
    }

    var isEnabled: Bool { limits.threshold > 0 }

    /// Adds `offence` to `node` and its `user` at `now`. Returns what it banned (nil: nothing new).
    mutating func charge(_ node: NodeId, user: String?, _ offence: Offence, now: Instant) -> Ban? {
        guard isEnabled else { return nil }
        var ban: Ban? = nil
        if Misbehaviour.add(offence.points, to: node, in: &nodes, threshold: limits.threshold, limits: limits, now: now, untracked: &untracked) {
            ban = .node(node)
        }
        if let user,
            Misbehaviour.add(offence.points, to: user, in: &users, threshold: limits.threshold * Misbehaviour.userThresholdFactor,
                             limits: limits, now: now, untracked: &untracked)
        {
            ban = .user(user)
        }
        if ban != nil { bansImposed += 1 }
        return ban
    }

    /// An answer came back through `node`: its route works.
    mutating func credit(_ node: NodeId, now: Instant) {
        guard var score = nodes[node] else { return }
        score.points = max(0, faded(score, now: now) - Misbehaviour.routeAnsweredCredit)
        score.updated = now
        nodes[node] = score
    }

    enum Ban: Equatable {
        case node(NodeId)
        case user(String)
    }

    func isBanned(_ node: NodeId, user: String?, now: Instant) -> Bool {
        if let until = nodes[node]?.bannedUntil, now < until { return true }
        if let user, let until = users[user]?.bannedUntil, now < until { return true }
        return false
    }

    /// The score at `now`, faded since its last change.
    func faded(_ score: Score, now: Instant) -> Int {
        let steps = now.milliseconds(since: score.updated) / max(1, limits.fadeMillisecondsPerPoint)
        return steps >= UInt64(score.points) ? 0 : score.points - Int(steps)
    }

    /// Every score that has not faded and every ban in force, highest first.
    func suspects(now: Instant) -> [NodeStatus.Suspect] {
        let suspect = { (subject: String, score: Score) -> NodeStatus.Suspect? in
            let banned = score.bannedUntil.map { now < $0 ? $0.milliseconds(since: now) : 0 } ?? 0
            let points = self.faded(score, now: now)
            guard points > 0 || banned > 0 else { return nil }
            return NodeStatus.Suspect(subject: subject, points: points, offences: score.offences, bannedMilliseconds: banned)
        }
        let list = nodes.compactMap { suspect($0.key.hex, $0.value) } + users.compactMap { suspect("user " + $0.key, $0.value) }
        return list.sorted { ($0.bannedMilliseconds, $0.points, $0.subject) > ($1.bannedMilliseconds, $1.points, $1.subject) }
    }

    /// Adds points to `key` in `table`; true when they reach `threshold` and a ban starts.
    static func add<Key: Hashable>(
        _ points: Int, to key: Key, in table: inout [Key: Score], threshold: Int, limits: MisbehaviourLimits, now: Instant,
        untracked: inout Int
    ) -> Bool {
        var score = table[key] ?? Score(points: 0, updated: now, bannedUntil: nil, offences: 0)
        if table[key] == nil, table.count >= limits.capacity {
            // Room for a new entry: the lowest score not banned goes.
            let evictable = table.filter { entry in entry.value.bannedUntil.map { now >= $0 } ?? true }
            guard let lowest = evictable.min(by: { $0.value.points < $1.value.points }) else {
                untracked += 1
                return false
            }
            table[lowest.key] = nil
        }
        let steps = now.milliseconds(since: score.updated) / max(1, limits.fadeMillisecondsPerPoint)
        score.points = steps >= UInt64(score.points) ? 0 : score.points - Int(steps)
        score.points = min(score.points + points, threshold * 4)
        score.updated = now
        score.offences += 1
        var banned = false
        if score.points >= threshold, score.bannedUntil.map({ now >= $0 }) ?? true {
            score.bannedUntil = now.adding(milliseconds: limits.banMilliseconds)
            score.points = 0
            banned = true
        }
        table[key] = score
        return banned
    }
}

/// The board's misbehaviour settings (NodeConfiguration.misbehaviour).
public struct MisbehaviourLimits: Equatable, Sendable {
    /// Points that ban a Node-ID (a user: twice as many); 0 turns scoring off.
    public var threshold: Int
    /// A score loses one point per this many milliseconds.
    public var fadeMillisecondsPerPoint: UInt64
    /// How long a ban lasts.
    public var banMilliseconds: UInt64
    /// Node-IDs, and apart users, whose scores are kept.
    public var capacity: Int

    /// 100 points ban: four answers from a node not responsible, or twenty failed routes
    /// without an answer through the same hop between them; a point fades every 6 s (a full
    /// score in 10 minutes); a ban lasts 10 minutes.
    public init(threshold: Int = 100, fadeMillisecondsPerPoint: UInt64 = 6_000, banMilliseconds: UInt64 = 600_000, capacity: Int = 256) {
        self.threshold = threshold
        self.fadeMillisecondsPerPoint = fadeMillisecondsPerPoint
        self.banMilliseconds = banMilliseconds
        self.capacity = capacity
    }
}
