import Wire

/// Whether a request from another node is taken up, decided before its signature is verified
/// (RFC 6940 §6.3.4 verification costs 1.5-2.7 ms of CPU, and §13.6.6 notes that a peer with a
/// valid certificate can still mount denial of service). Two questions:
///
/// - Budgets: each link (the neighbor the bytes came from) and each user of a link's
///   certificate (its user name, self-signed: its key; one user's many Node-IDs share it) has
///   a token bucket (Wire's `TokenBucketTable`, as `ConnectPolicy`'s connect budget).
/// - Load shedding: above a high-water mark of the transaction table (7/8), of signature
///   verifications in the last second (`SignatureLoad`) or of the send queue the answer would
///   join, new ordinary requests are refused at once.
///
/// Maintenance from a neighbor (Update, Ping, Probe, Join, Leave, and the replica and hand-off
/// Stores a neighbor sends directly, §10.4, §10.7.3) is exempt from both: the ring's own upkeep
/// must go on when honest load fills the node, or the load would break the ring that carries
/// it (a neighbor not answered is dropped from the routing table). It has its own generous
/// bucket per link, so a neighbor cannot use the exemption to make us verify without limit.
/// Answers and the node's own requests never come here.
struct RequestAdmission {
    enum Refusal: Equatable {
        case linkBudget
        case userBudget
        case maintenanceBudget
        case transactionTable
        case signatureLoad
        case storeBudget

        /// The reason phrase of the error answer (RFC 6940 §6.3.3.1 error_info).
        var reason: String {
            switch self {
            case .linkBudget: return "over budget: too many requests on this link, try again later"
            case .userBudget: return "over budget: too many requests from this user's nodes, try again later"
            case .maintenanceBudget: return "over budget: too many maintenance requests on this link, try again later"
            case .transactionTable: return "overloaded: too many requests under way, try again later"
            case .signatureLoad: return "overloaded: too many signatures to verify, try again later"
            case .storeBudget: return "over budget: too many Stores from this user, try again later"
            }
        }
    }

    /// Maintenance from one link: 100 a second after a burst of 1000 (the table's largest),
    /// far above what CHORD-RELOAD's stabilization sends (an Update per neighbor change and
    /// interval, a Ping per liveness interval, §10.7) and above the replica Stores of a
    /// neighbor that itself admitted its Stores within its budgets.
    static let maintenancePerMinute = TokenBucketTable.maximumRatePerMinute
    static let maintenanceBurst = TokenBucketTable.maximumBurst

    /// Users whose Store budgets are kept; beyond, the least recently seen is forgotten.
    static let storeBudgetOwners = 1024

    let verificationsPerSecond: Int
    private var storeBudgets: TokenBucketTable
    private var linkBudgets: TokenBucketTable
    private var userBudgets: TokenBucketTable
    private var maintenanceBudgets: TokenBucketTable
    /// Refusals answered per link (`refusalAnswersPerMinute`, `refusalAnswerBurst`).
    private var refusalAnswers: TokenBucketTable
    private(set) var signatureLoad = SignatureLoad()

    init(configuration: NodeConfiguration) {
        let links = configuration.maximumLinks
        linkBudgets = TokenBucketTable(capacity: links, ratePerMinute: configuration.requestsPerMinute, burst: configuration.requestBurst)
        userBudgets = TokenBucketTable(
            capacity: links, ratePerMinute: configuration.userRequestsPerMinute, burst: configuration.userRequestBurst)
        maintenanceBudgets = TokenBucketTable(
            capacity: links, ratePerMinute: RequestAdmission.maintenancePerMinute, burst: RequestAdmission.maintenanceBurst)
        refusalAnswers = TokenBucketTable(
            capacity: links, ratePerMinute: configuration.refusalAnswersPerMinute, burst: configuration.refusalAnswerBurst)
        verificationsPerSecond = configuration.verificationsPerSecond
        storeBudgets = TokenBucketTable(
            capacity: RequestAdmission.storeBudgetOwners, ratePerMinute: configuration.storesPerMinute, burst: configuration.storeBurst)
    }

    /// What the node is busy with when a request arrives.
    struct Load {
        var transactions: Int
        var transactionCapacity: Int
    }

    /// A maintenance request from a neighbor's link: its own bucket only.
    mutating func admitMaintenance(link: LinkId, now: NodeTime) -> Refusal? {
        if case .refused = maintenanceBudgets.admit(RequestAdmission.key(link), now: now.wall) { return .maintenanceBudget }
        return nil
    }

    /// An ordinary request on `link`, whose certificate's user (or key) is `owner`: refused
    /// when the node is overloaded (no token is taken then), else charged to the link and
    /// then to the user.
    mutating func admit(link: LinkId, owner: String, load: Load, now: NodeTime) -> Refusal? {
        if HighWaterMark.reached(load.transactions, of: load.transactionCapacity) { return .transactionTable }
        if signatureLoad.perSecond(now: now.monotonic) >= verificationsPerSecond { return .signatureLoad }
        if case .refused = linkBudgets.admit(RequestAdmission.key(link), now: now.wall) { return .linkBudget }
        if case .refused = userBudgets.admit(Array(owner.utf8), now: now.wall) { return .userBudget }
        return nil
    }

    /// A primary Store signed by `owner` (after its signature was verified): refused when the
    /// user is over its Store budget.
    mutating func admitStore(owner: String, now: NodeTime) -> Refusal? {
        if case .refused = storeBudgets.admit(Array(owner.utf8), now: now.wall) { return .storeBudget }
        return nil
    }

    /// Whether a refusal on `link` is answered (true) or dropped.
    mutating func answersRefusal(link: LinkId, now: NodeTime) -> Bool {
        return refusalAnswers.admit(RequestAdmission.key(link), now: now.wall) == .admitted
    }

    /// A message signature was verified (whatever the outcome).
    mutating func verified(now: NodeTime) {
        signatureLoad.record(now: now.monotonic)
    }

    static func key(_ link: LinkId) -> [UInt8] {
        let value = UInt64(bitPattern: Int64(link))
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}

/// The high-water mark of a bounded table or queue for load shedding: 7/8 of it, so that what
/// is already under way (the node's own requests, replica Stores of what it accepted, answers)
/// still finds room above it.
enum HighWaterMark {
    static func reached(_ count: Int, of capacity: Int) -> Bool { count * 8 >= capacity * 7 }
}
