import Chord
import Crypto
import Reload
import Wire

/// Requests this node originated and awaits answers to (RFC 6940 §6.2.1), by transaction id,
/// with their deadlines: the table of the Transactions part, which decides when each is sent
/// again or has failed. Bounded by `maximumTransactions`: when full, new requests are refused.
struct TransactionTable {
    struct Pending: Equatable {
        let transactionId: UInt64
        let purpose: Purpose
        /// The signed message, resent unchanged (same transaction id, same signature).
        let message: [UInt8]
        let destination: [Destination]
        /// Sent on this link rather than routed (a joining node's first requests go to its
        /// bootstrap link, §11.4).
        let firstLink: LinkId?
        var transmissions: Int
        var deadline: Instant
        let started: Instant
        /// The first hops earlier transmissions were routed to (at most one per transmission):
        /// a retransmission takes another when there is one (§6.3.4, `ChordTable.nextHop`).
        var triedFirstHops: [NodeId] = []
        /// First hops whose path brought back an answer that failed a check: the signer was
        /// charged for it (Misbehaviour), not the hop, whose route worked.
        var excusedFirstHops: [NodeId] = []
    }

    /// Why the request was sent: what to do with its answer.
    enum Purpose: Equatable {
        case bootstrapAttach
        case attach(target: NodeId?, viaUpdateFrom: NodeId?)
        case join(admittingPeer: NodeId)
        case update(to: NodeId)
        case leave(to: NodeId)
        case fingerAttach(index: Int)
        /// A connectivity ping to a neighbor (§10.7.1).
        case liveness(NodeId)
        case local(RequestHandle)
        /// A client's signed StoreReq sent on for it (§3.2.1); its answer is the local request's.
        case relay(RequestHandle, client: NodeId)
        /// A replica Store after a Store we answered as the responsible peer (§10.4); a failure
        /// sends the resource's records again, as a hand-off of the one-point range.
        case replicate(HandoffJob)
        /// Records moved when the ring changed (§10.7.3); a failure sends the range again.
        case handoff(HandoffJob)
        /// Our certificate stored under CERTIFICATE_BY_NODE (§8).
        case publishCertificate
        /// CERTIFICATE_BY_NODE of a signer fetched (§8).
        case certificateLookup(NodeId)
    }

    let capacity: Int
    private(set) var pending: [UInt64: Pending] = [:]

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { pending.count }
    var isFull: Bool { pending.count >= capacity }

    mutating func insert(_ entry: Pending) -> Bool {
        guard !isFull, pending[entry.transactionId] == nil else { return false }
        pending[entry.transactionId] = entry
        return true
    }

    mutating func remove(_ transactionId: UInt64) -> Pending? {
        return pending.removeValue(forKey: transactionId)
    }

    func contains(where predicate: (Purpose) -> Bool) -> Bool {
        return pending.values.contains { predicate($0.purpose) }
    }

    var nextDeadline: Instant? { pending.values.map { $0.deadline }.min() }

    /// The entries whose deadline passed, in transaction-id order (deterministic).
    func due(at now: Instant) -> [UInt64] {
        return pending.values.filter { $0.deadline <= now }.map { $0.transactionId }.sorted()
    }

    mutating func reschedule(_ transactionId: UInt64, deadline: Instant) {
        pending[transactionId]?.transmissions += 1
        pending[transactionId]?.deadline = deadline
    }

    /// Due at once: the answer that came failed a check, so the next transmission is now.
    mutating func dueNow(_ transactionId: UInt64, now: Instant) {
        pending[transactionId]?.deadline = now
    }

    mutating func routed(_ transactionId: UInt64, to firstHop: NodeId) {
        guard let entry = pending[transactionId], !entry.triedFirstHops.contains(firstHop) else { return }
        pending[transactionId]?.triedFirstHops.append(firstHop)
    }

    mutating func excuse(_ transactionId: UInt64, firstHop: NodeId) {
        guard let entry = pending[transactionId], !entry.excusedFirstHops.contains(firstHop),
            entry.excusedFirstHops.count < entry.triedFirstHops.count
        else { return }
        pending[transactionId]?.excusedFirstHops.append(firstHop)
    }
}
