import Chord
import Reload
import Simulator
import Storage
import Testing
import Wire

@testable import Node

/// The Replication part alone (RFC 6940 §10.4, §10.7.3): which records each neighbor shares
/// with us (against the naive model of a sorted ring), which hand-offs a ring change queues,
/// the resync after a quiet period, and the retries with their backoff and bounds.
@Suite struct ReplicationTests {
    static let me = RingId(0x40 << 120)

    func chord(_ peers: [UInt128]) -> ChordTable {
        var table = ChordTable(selfId: Self.me, successors: 3, predecessors: 3, fingers: 16)
        for peer in peers { _ = table.add(RingId(peer)) }
        return table
    }

    func replication(_ change: (inout NodeConfiguration) -> Void = { _ in }) throws -> Replication {
        var configuration = PartFixtures.configuration()
        change(&configuration)
        return Replication(configuration: configuration, random: try PartFixtures.random(4))
    }

    func records() -> DataStore<InMemoryBackend> {
        let configuration = PartFixtures.configuration()
        return DataStore(backend: InMemoryBackend(), kinds: configuration.kinds, quota: configuration.storageQuota, nodeIdLength: 16)
    }

    /// Empties the queue as a step would when every batch is empty: the jobs, in order.
    func drain(_ replication: inout Replication, at milliseconds: UInt64 = 0) -> [HandoffJob] {
        var sent: [HandoffJob] = []
        var notes: [Note] = []
        while !replication.queue.isEmpty, sent.count < 100 {
            let handoff = replication.nextHandoff(
                now: PartFixtures.time(milliseconds), records: records(), hasRoom: true, isLinked: { _ in true }, notes: &notes)
            if let handoff { sent.append(handoff.job) }
        }
        #expect(notes.isEmpty)
        return sent
    }

    /// With every node's table complete, a neighbor's ranges hold exactly the resources both
    /// it and we hold (each node holds what it is responsible for and the r - 1 before).
    @Test(arguments: [2, 3, 4, 5, 6, 9, 17])
    func copyRangesAreWhatANeighborAndWeBothHold(count: Int) {
        var random = SimulationRandom(seed: UInt64(count))
        func next128() -> UInt128 { UInt128(random.next()) << 64 | UInt128(random.next()) }
        var points: Set<UInt128> = [Self.me.value]
        while points.count < count { points.insert(next128()) }
        let sorted = points.sorted().map { RingId($0) }
        func holds(_ node: RingId, _ key: RingId) -> Bool {
            guard sorted.count > 3 else { return true }
            let first = sorted.firstIndex { $0 >= key } ?? 0
            let position = sorted.firstIndex(of: node)!
            return (position - first + sorted.count) % sorted.count < 3
        }
        let ranges = Replication.copyRanges(chord(sorted.map { $0.value }.filter { $0 != Self.me.value }), replicationFactor: 3)
        var keys = sorted
        for _ in 0..<200 { keys.append(RingId(next128())) }
        for peer in sorted where peer != Self.me {
            let parts = ranges[NodeId(bytes: peer.bytes)!] ?? []
            for key in keys {
                let shared = parts.contains { key.isBetween(after: $0.start, upTo: $0.end) }
                #expect(shared == (holds(Self.me, key) && holds(peer, key)), "\(count) nodes: \(peer.hex) for \(key.hex)")
            }
        }
    }

    /// §10.7.3: the first look queues every neighbor's part; a new neighbor gets its part and
    /// those whose part shrank need nothing; no change, nothing.
    @Test func aRingChangeQueuesTheHandOffsOfTheNeighborsWhosePartChanged() throws {
        var replication = try replication()
        let peers: [UInt128] = [0x50 << 120, 0x60 << 120, 0x70 << 120, 0x30 << 120, 0x20 << 120, 0x10 << 120]
        let firstNotes = replication.noticeRing(chord(peers), now: PartFixtures.time(0))
        #expect(firstNotes.isEmpty)
        let first = drain(&replication)
        #expect(Set(first.map { $0.target }) == Set([0x50, 0x60, 0x30, 0x20].map { PartFixtures.nodeId($0 << 120) }))
        #expect(first.map { $0.target } == first.map { $0.target }.sorted(), "in Node-ID order")
        let unchanged = replication.noticeRing(chord(peers), now: PartFixtures.time(100))
        #expect(unchanged.isEmpty)
        #expect(replication.queue.isEmpty, "the ring did not change")
        // A node joins between us and our successor: it answers for part of our range now.
        _ = replication.noticeRing(chord(peers + [0x48 << 120]), now: PartFixtures.time(200))
        let second = drain(&replication, at: 200)
        #expect(second.contains { $0.target == PartFixtures.nodeId(0x48 << 120) && $0.replicaNumber == 1 })
        #expect(!second.contains { $0.target == PartFixtures.nodeId(0x60 << 120) }, "now our third successor: it shares nothing with us")
    }

    /// Once the ring has been quiet for storageResyncMilliseconds, every neighbor's part goes
    /// again (hand-offs sent while views differed may have been refused).
    @Test func everyPartGoesAgainAfterAQuietPeriod() throws {
        var replication = try replication { $0.storageResyncMilliseconds = 5_000 }
        let view = chord([0x50 << 120, 0x30 << 120, 0x60 << 120, 0x20 << 120])
        _ = replication.noticeRing(view, now: PartFixtures.time(0))
        let parts = drain(&replication).count
        #expect(replication.pendingHandoffs == 1, "the resync is still to come")
        _ = replication.noticeRing(view, now: PartFixtures.time(4_999))
        #expect(replication.queue.isEmpty)
        _ = replication.noticeRing(view, now: PartFixtures.time(5_000))
        #expect(replication.queue.count == parts && replication.resyncAt == nil)
    }

    /// A failed hand-off goes again after 2 s, doubling to 30 s (plus up to 0.5 s of jitter),
    /// at most maximumHandoffAttempts times, and only while the target still needs it.
    @Test func aFailedHandOffIsRetriedWithBackoffThenGivenUp() throws {
        var replication = try replication()
        _ = replication.noticeRing(chord([0x50 << 120, 0x30 << 120]), now: PartFixtures.time(0))
        var job = try #require(drain(&replication).first)
        var delays: [UInt64] = []
        for attempt in 0..<9 {
            let notes = replication.retry(job, now: PartFixtures.time(0))
            #expect(notes.isEmpty, "attempt \(attempt): \(notes)")
            let queued = try #require(replication.queue.jobs.first)
            delays.append(try #require(queued.notBefore).milliseconds(since: PartFixtures.instant(0)))
            #expect(replication.nextWork! <= queued.notBefore!)
            job = queued
            _ = drain(&replication, at: delays.last!)
        }
        let floors: [UInt64] = [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000]
        for (delay, floor) in zip(delays, floors) { #expect(delay >= floor && delay < floor + 500, "\(delays)") }
        let givenUp = replication.retry(job, now: PartFixtures.time(0))
        #expect(givenUp.count == 1, "the tenth attempt is given up, with a warning")
        #expect(replication.queue.isEmpty)
        let stranger = HandoffJob(start: RingId(1), end: RingId(2), target: PartFixtures.nodeId(0x90 << 120), replicaNumber: 1)
        let notNeeded = replication.retry(stranger, now: PartFixtures.time(0))
        #expect(notNeeded.isEmpty && replication.queue.isEmpty, "not a neighbor of ours")
    }

    /// A target without a link waits (an attempt counted each time), and is given up after
    /// the attempts; the queue is bounded and a full one brings the resync forward.
    @Test func handOffsWaitForALinkAndTheQueueIsBounded() throws {
        var replication = try replication {
            $0.maximumHandoffJobs = 1
            $0.maximumHandoffAttempts = 2
        }
        let notes = replication.noticeRing(chord([0x50 << 120, 0x30 << 120, 0x60 << 120, 0x20 << 120]), now: PartFixtures.time(0))
        #expect(notes.first == .overLimit && replication.queue.count == 1, "\(notes)")
        var more: [Note] = []
        let waiting = replication.nextHandoff(now: PartFixtures.time(0), records: records(), hasRoom: true, isLinked: { _ in false }, notes: &more)
        #expect(waiting == nil && replication.queue.jobs.first?.attempts == 1)
        let later = try #require(replication.queue.jobs.first?.notBefore)
        let early = replication.nextHandoff(now: PartFixtures.time(0), records: records(), hasRoom: true, isLinked: { _ in false }, notes: &more)
        #expect(early == nil)
        #expect(replication.queue.count == 1, "not before its time")
        _ = replication.nextHandoff(
            now: NodeTime(monotonic: later, wall: PartFixtures.wall), records: records(), hasRoom: true,
            isLinked: { _ in false }, notes: &more)
        #expect(replication.queue.isEmpty && more.isEmpty, "given up after its attempts")
    }

    /// A step is due an interval after the last, a tenth of it while hand-offs wait, and at the
    /// resync at the latest.
    @Test func theNextStepComesSoonerWhileHandOffsWait() throws {
        var replication = try replication {
            $0.storageMaintenanceIntervalMilliseconds = 2_000
            $0.storageResyncMilliseconds = 5_000
        }
        var store = records()
        replication.start(now: PartFixtures.time(0))
        #expect(replication.nextWork == PartFixtures.instant(1_000) && !replication.isDue(now: PartFixtures.time(999)))
        let view = chord([0x50 << 120, 0x30 << 120])
        _ = replication.noticeRing(view, now: PartFixtures.time(1_000))
        let finished = replication.finishStep(view, records: &store, now: PartFixtures.time(1_000))
        #expect(finished.isEmpty)
        #expect(replication.nextWork == PartFixtures.instant(1_200), "hand-offs wait")
        _ = drain(&replication, at: 1_200)
        _ = replication.finishStep(view, records: &store, now: PartFixtures.time(4_500))
        #expect(replication.nextWork == PartFixtures.instant(6_000), "the resync comes first")
    }
}
