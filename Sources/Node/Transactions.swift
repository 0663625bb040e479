import Chord
import Reload
import Wire

/// End-to-end reliability (RFC 6940 §6.2.1), both ways, as a state machine that does no I/O:
///
/// - the requests this node originated, or relays for a client (§3.2.1), each kept with its
///   signed bytes until an answer with its transaction id arrives; every
///   overlay-reliability-timer without one it is sent again unchanged (same transaction id,
///   same signature), and after the timer of the last of `maximumTransmissions` it has failed;
/// - the answers this node sent lately, so that a retransmitted request gets "semantically
///   equivalent responses" without being processed twice ("within the maximum request
///   lifetime (15 seconds)").
///
/// The node signs and routes; this part says what to send again and what failed. Both tables
/// are bounded (`maximumTransactions`, `maximumCachedAnswers`): a full request table refuses.
struct Transactions {
    typealias Pending = TransactionTable.Pending
    typealias Purpose = TransactionTable.Purpose

    /// What a passed deadline means for one request.
    enum Expiry: Equatable {
        /// No answer yet: send `message` again on its way (§6.2.1, same transaction id).
        case retransmit(Pending)
        /// The timer of the last transmission ran out: the request failed.
        case failed(Pending)
    }

    private(set) var table: TransactionTable
    private var answers: AnswerCache
    let reliabilityTimerMilliseconds: UInt64
    let maximumTransmissions: Int
    let answerLifetimeMilliseconds: UInt64
    /// When expired answers are dropped next.
    private(set) var nextPurge: Instant?
    /// Clients whose requests we relay (§3.2.1), with how many are in flight: answers to their
    /// Node-ID end here (§6.2.2). At most one entry per request in the table.
    private var relayClients: [NodeId: Int] = [:]

    init(configuration: NodeConfiguration) {
        precondition(configuration.maximumTransmissions >= 1)
        table = TransactionTable(capacity: configuration.maximumTransactions)
        answers = AnswerCache(capacity: configuration.maximumCachedAnswers)
        reliabilityTimerMilliseconds = configuration.reliabilityTimerMilliseconds
        maximumTransmissions = configuration.maximumTransmissions
        answerLifetimeMilliseconds = configuration.answerCacheMilliseconds
    }

    var count: Int { table.count }
    var capacity: Int { table.capacity }
    var isFull: Bool { table.isFull }

    func pending(_ transactionId: UInt64) -> Pending? { table.pending[transactionId] }

    func contains(where predicate: (Purpose) -> Bool) -> Bool { table.contains(where: predicate) }

    /// The earliest retransmission, failure or purge.
    var nextDeadline: Instant? {
        guard let purge = nextPurge else { return table.nextDeadline }
        return min(table.nextDeadline ?? purge, purge)
    }

    /// Remembers a request sent for the first time at `now`; nil (nothing remembered) when the
    /// table is full or the transaction id is in use. The caller sends the returned entry.
    mutating func begin(
        _ transactionId: UInt64, purpose: Purpose, message: [UInt8], destination: [Destination], firstLink: LinkId?, now: Instant
    ) -> Pending? {
        let pending = Pending(
            transactionId: transactionId, purpose: purpose, message: message, destination: destination, firstLink: firstLink,
            transmissions: 1, deadline: now.adding(milliseconds: reliabilityTimerMilliseconds), started: now)
        guard table.insert(pending) else { return nil }
        if case .relay(_, let client) = purpose { relayClients[client, default: 0] += 1 }
        return pending
    }

    /// The request an answer with this transaction id belongs to, forgotten (§6.2.2: the
    /// transaction id matches the answer to its request); nil when none is under way.
    mutating func answered(_ transactionId: UInt64) -> Pending? {
        return remove(transactionId)
    }

    /// Forgets a request (answered, failed or cancelled); its client's answers are no longer ours.
    private mutating func remove(_ transactionId: UInt64) -> Pending? {
        guard let pending = table.remove(transactionId) else { return nil }
        if case .relay(_, let client) = pending.purpose, let count = relayClients[client] {
            relayClients[client] = count > 1 ? count - 1 : nil
        }
        return pending
    }

    /// Forgets the requests whose purpose matches, unanswered (an Attach given up in glare,
    /// §6.5.1.2); their answers, if any come, are unexpected.
    mutating func cancel(where predicate: (Purpose) -> Bool) {
        for (transactionId, pending) in table.pending where predicate(pending.purpose) {
            _ = remove(transactionId)
        }
    }

    /// The requests whose deadline passed, in transaction-id order; `expire` each in turn
    /// (handling one may end others, which `expire` then skips).
    func due(at now: Instant) -> [UInt64] { table.due(at: now) }

    /// Retransmits or fails one request whose deadline passed; nil when it is no longer under way.
    mutating func expire(_ transactionId: UInt64, now: Instant) -> Expiry? {
        guard let pending = table.pending[transactionId], pending.deadline <= now else { return nil }
        if pending.transmissions >= maximumTransmissions {
            _ = remove(transactionId)
            return .failed(pending)
        }
        table.reschedule(transactionId, deadline: now.adding(milliseconds: reliabilityTimerMilliseconds))
        return .retransmit(pending)
    }

    /// The answer that came failed a check (§6.3.4): the request is sent again at once by
    /// another path, as a retransmission (it counts against `maximumTransmissions`).
    mutating func retryNow(_ transactionId: UInt64, now: Instant) {
        table.dueNow(transactionId, now: now)
    }

    /// An answer that failed a check came back through `firstHop`.
    mutating func excuse(_ transactionId: UInt64, firstHop: NodeId) {
        table.excuse(transactionId, firstHop: firstHop)
    }

    /// The first hop a transmission of the request was routed to.
    mutating func routed(_ transactionId: UInt64, to firstHop: NodeId) {
        table.routed(transactionId, to: firstHop)
    }

    /// An answer to `client`'s Node-ID is the answer to a request we relayed (§3.2.1).
    func isRelaying(for client: NodeId) -> Bool { relayClients[client] != nil }

    /// Answers are purged from `now` on, every answer lifetime.
    mutating func startPurging(now: Instant) {
        nextPurge = now.adding(milliseconds: answerLifetimeMilliseconds)
    }

    /// §6.2.1: the answer already sent to the request with this transaction id, if fresh.
    func cachedAnswer(for transactionId: UInt64, now: Instant) -> [UInt8]? {
        return answers.answer(for: transactionId, now: now)
    }

    /// Keeps an answer sent at `now` for the answer lifetime.
    mutating func rememberAnswer(_ answer: [UInt8], for transactionId: UInt64, now: Instant) {
        answers.store(answer, for: transactionId, expires: now.adding(milliseconds: answerLifetimeMilliseconds))
        if nextPurge == nil { startPurging(now: now) }
    }

    /// Drops the expired answers when that is due.
    mutating func purgeAnswersIfDue(now: Instant) {
        guard let purge = nextPurge, purge <= now else { return }
        answers.purge(now: now)
        startPurging(now: now)
    }
}
