import Chord
import Reload
import Testing
import Wire

@testable import Node

/// The Transactions part alone (RFC 6940 §6.2.1): the retransmission schedule of a request,
/// the match of an answer to its request by transaction id, the bounded table, the clients
/// whose answers end here (§3.2.1) and the answers kept for retransmitted requests.
@Suite struct TransactionsTests {
    static let peer = PartFixtures.nodeId(0x11 << 120)
    static let client = PartFixtures.nodeId(0x22 << 120)

    func transactions(_ change: (inout NodeConfiguration) -> Void = { _ in }) -> Transactions {
        var configuration = PartFixtures.configuration()
        change(&configuration)
        return Transactions(configuration: configuration)
    }

    func begin(_ transactions: inout Transactions, _ id: UInt64, _ purpose: Transactions.Purpose, at milliseconds: UInt64 = 0) -> Transactions.Pending? {
        return transactions.begin(
            id, purpose: purpose, message: [UInt8(truncatingIfNeeded: id), 1, 2], destination: [.node(Self.peer)], firstLink: 4,
            now: PartFixtures.instant(milliseconds))
    }

    /// Runs the timers from deadline to deadline: the milliseconds of each transmission after
    /// the first, and of the failure.
    func runTimers(_ transactions: inout Transactions) -> (resent: [UInt64], failed: [UInt64]) {
        var resent: [UInt64] = []
        var failed: [UInt64] = []
        while let deadline = transactions.nextDeadline {
            let milliseconds = deadline.milliseconds(since: PartFixtures.instant(0))
            #expect(transactions.due(at: PartFixtures.instant(milliseconds - 1)).isEmpty, "nothing is due before its deadline")
            for id in transactions.due(at: deadline) {
                switch transactions.expire(id, now: deadline) {
                case .retransmit(let pending)?:
                    #expect(pending.transactionId == id && pending.message == [UInt8(truncatingIfNeeded: id), 1, 2] && pending.firstLink == 4)
                    resent.append(milliseconds)
                case .failed(let pending)?:
                    #expect(pending.transmissions == 5)
                    failed.append(milliseconds)
                case nil:
                    Issue.record("a due request vanished")
                }
            }
        }
        return (resent, failed)
    }

    /// §6.2.1: the same message every overlay-reliability-timer (3 s by default), five
    /// transmissions in all, and the request has failed when the fifth one's timer runs out.
    @Test func aRequestIsSentFiveTimesAReliabilityTimerApartThenFails() {
        var table = transactions()
        let first = begin(&table, 7, .update(to: Self.peer))
        #expect(first?.transmissions == 1 && first?.deadline == PartFixtures.instant(3_000))
        let (resent, failed) = runTimers(&table)
        #expect(resent == [3_000, 6_000, 9_000, 12_000])
        #expect(failed == [15_000])
        #expect(table.count == 0 && table.pending(7) == nil)
    }

    @Test func theScheduleFollowsTheConfiguredTimerAndTransmissions() {
        var table = transactions {
            $0.reliabilityTimerMilliseconds = 500
            $0.maximumTransmissions = 5
        }
        _ = begin(&table, 1, .liveness(Self.peer))
        _ = begin(&table, 2, .liveness(Self.client), at: 200)
        let (resent, failed) = runTimers(&table)
        #expect(resent == [500, 700, 1_000, 1_200, 1_500, 1_700, 2_000, 2_200])
        #expect(failed == [2_500, 2_700])
    }

    /// §6.2.2: an answer finds its request by transaction id, once; the others go on.
    @Test func anAnswerEndsItsRequestByTransactionId() {
        var table = transactions()
        _ = begin(&table, 1, .update(to: Self.peer))
        _ = begin(&table, 2, .local(RequestHandle(value: 9)))
        let unknown = table.answered(3)
        let known = table.answered(2)
        let twice = table.answered(2)
        #expect(unknown == nil, "no request has transaction id 3")
        #expect(known?.purpose == .local(RequestHandle(value: 9)))
        #expect(twice == nil, "a second answer is unexpected")
        #expect(table.count == 1)
        #expect(table.due(at: PartFixtures.instant(3_000)) == [1])
        // A request ended while others were due is skipped.
        _ = table.answered(1)
        let gone = table.expire(1, now: PartFixtures.instant(3_000))
        #expect(gone == nil)
    }

    @Test func aFullTableRefusesNewRequestsAndAnAnswerMakesRoom() {
        var table = transactions { $0.maximumTransactions = 2 }
        let first = begin(&table, 1, .update(to: Self.peer))
        let reused = begin(&table, 1, .leave(to: Self.peer))
        let second = begin(&table, 2, .update(to: Self.client))
        #expect(first != nil && second != nil)
        #expect(reused == nil, "a transaction id in use")
        #expect(table.isFull)
        let third = begin(&table, 3, .update(to: Self.peer))
        #expect(third == nil && table.count == 2 && table.pending(3) == nil)
        _ = table.answered(1)
        let afterAnswer = begin(&table, 3, .update(to: Self.peer))
        #expect(afterAnswer != nil)
    }

    /// §3.2.1, §6.2.2: answers to a client's Node-ID are ours while a request we relay for it
    /// is under way, whether its requests end answered or failed.
    @Test func aRelayedClientsAnswersEndHereWhileItsRequestsAreUnderWay() {
        var table = transactions()
        #expect(!table.isRelaying(for: Self.client))
        _ = begin(&table, 10, .relay(RequestHandle(value: 1), client: Self.client))
        _ = begin(&table, 11, .relay(RequestHandle(value: 2), client: Self.client), at: 1_000)
        #expect(table.isRelaying(for: Self.client) && !table.isRelaying(for: Self.peer))
        _ = table.answered(10)
        #expect(table.isRelaying(for: Self.client))
        _ = runTimers(&table)
        #expect(!table.isRelaying(for: Self.client))
    }

    /// §6.5.1.2: Attaches given up in glare are forgotten, nothing else.
    @Test func cancelForgetsOnlyTheMatchingRequests() {
        var table = transactions()
        _ = begin(&table, 1, .attach(target: Self.peer, viaUpdateFrom: nil))
        _ = begin(&table, 2, .attach(target: Self.client, viaUpdateFrom: nil))
        _ = begin(&table, 3, .update(to: Self.peer))
        table.cancel { if case .attach(let target, _) = $0 { return target == Self.peer } else { return false } }
        #expect(table.pending(1) == nil && table.pending(2) != nil && table.pending(3) != nil)
    }

    /// §6.2.1: "semantically equivalent responses to retransmissions of the same request ...
    /// within the maximum request lifetime (15 seconds)": the answer sent is kept that long, the
    /// oldest goes first when the cache is full, and expired ones are purged periodically.
    @Test func answersSentAreKeptForTheirLifetimeAndPurged() {
        var table = transactions { $0.maximumCachedAnswers = 2 }
        #expect(table.nextDeadline == nil)
        table.startPurging(now: PartFixtures.instant(0))
        #expect(table.nextDeadline == PartFixtures.instant(15_000))
        table.rememberAnswer([1], for: 1, now: PartFixtures.instant(0))
        #expect(table.cachedAnswer(for: 1, now: PartFixtures.instant(14_999)) == [1])
        #expect(table.cachedAnswer(for: 1, now: PartFixtures.instant(15_000)) == nil)
        table.rememberAnswer([2], for: 2, now: PartFixtures.instant(1_000))
        table.rememberAnswer([3], for: 3, now: PartFixtures.instant(2_000))
        #expect(table.cachedAnswer(for: 1, now: PartFixtures.instant(2_000)) == nil, "the oldest went when the cache was full")
        #expect(table.cachedAnswer(for: 2, now: PartFixtures.instant(2_000)) == [2])
        table.purgeAnswersIfDue(now: PartFixtures.instant(14_000))
        #expect(table.nextDeadline == PartFixtures.instant(15_000), "not due yet")
        table.purgeAnswersIfDue(now: PartFixtures.instant(16_500))
        #expect(table.nextDeadline == PartFixtures.instant(31_500))
        #expect(table.cachedAnswer(for: 3, now: PartFixtures.instant(16_500)) == [3])
    }
}
