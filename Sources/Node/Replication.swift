import Chord
import Crypto
import Reload
import Storage
import Wire

/// Looking after the records over time (RFC 6940 §10.4, §10.7.3, §7), as a state machine that
/// does no I/O: every record is held by its responsible peer and the next replication-factor
/// − 1 peers after it. When the ring changes, each peer sends the records it holds to the
/// neighbors that must now hold them too, in bounded batches; records it no longer holds are
/// removed; expired records are purged. One step per `storageMaintenanceIntervalMilliseconds`
/// (a tenth of it while hand-offs wait).
///
/// Which records a neighbor T holds follows from the ring, so each peer computes it from its
/// own view: with r the replication factor, a peer holds (its r-th predecessor, itself]. Of
/// those, the records we hold too are, for our successor i (0-based, i < r − 1), (our
/// (r − 2 − i)-th predecessor, self], and for our predecessor j, (our (r − 1)-th predecessor,
/// predecessor j]. A neighbor that is new, or whose part changed, gets its part: a peer that
/// joined gets what it now answers for (§10.5 step 6), a restarted one what changed while it
/// was down, a new replica its copies, and when a peer dies the ranges it held reach their new
/// holders (§10.7.3). The Stores carry replica_number 1: copies of others' data, not the
/// sender's own (§7.4.1.1); values already there are left out (Error_Data_Too_Old when none is
/// newer). In a ring of at most r peers every peer holds every record. Once the ring has been
/// quiet for `storageResyncMilliseconds`, every neighbor gets its whole part once more.
///
/// The node sends the Stores this part hands out and reports those that failed (`retry`).
struct Replication {
    /// One batch to send now: Stores of `groups` to `job.target`, their purpose `job.sent`.
    struct Handoff: Equatable {
        let job: HandoffJob
        let groups: [HandoffGroup]
    }

    let replicationFactor: Int
    let intervalMilliseconds: UInt64
    let resyncMilliseconds: UInt64
    let retryMilliseconds: UInt64
    let maximumRetryMilliseconds: UInt64
    let maximumAttempts: Int
    let batchValues: Int
    let maximumGroupBytes: Int
    let sliceRecords: Int
    let random: RandomGenerator
    private(set) var nextWork: Instant?
    /// False until the node, joined, first looked at its ring.
    private(set) var viewKnown = false
    /// Each neighbor's part of our records when we last looked (`copyRanges`).
    private(set) var copyRanges: [NodeId: [CopyRange]] = [:]
    /// When every neighbor gets its part again: `storageResyncMilliseconds` after the last
    /// ring change; nil when done.
    private(set) var resyncAt: Instant?
    private(set) var queue: HandoffQueue

    init(configuration: NodeConfiguration, random: RandomGenerator) {
        precondition(configuration.replicationFactor >= 1)
        replicationFactor = configuration.replicationFactor
        intervalMilliseconds = configuration.storageMaintenanceIntervalMilliseconds
        resyncMilliseconds = configuration.storageResyncMilliseconds
        retryMilliseconds = configuration.handoffRetryMilliseconds
        maximumRetryMilliseconds = configuration.maximumHandoffRetryMilliseconds
        maximumAttempts = configuration.maximumHandoffAttempts
        batchValues = configuration.handoffBatchValues
        maximumGroupBytes = configuration.maxMessageSize / 2
        sliceRecords = configuration.storageSliceRecords
        queue = HandoffQueue(capacity: configuration.maximumHandoffJobs)
        self.random = random
    }

    /// Hand-offs queued or still to come (a resync pending counts as one).
    var pendingHandoffs: Int { queue.count + (resyncAt == nil ? 0 : 1) }

    /// Joined: the first step half an interval later.
    mutating func start(now: NodeTime) {
        nextWork = now.monotonic.adding(milliseconds: intervalMilliseconds / 2)
    }

    func isDue(now: NodeTime) -> Bool {
        guard let due = nextWork else { return false }
        return due <= now.monotonic
    }

    /// The records each neighbor holds that we hold too, as ranges (start, end] (start == end:
    /// the whole ring), by `chord`'s view. In a small ring a peer can be both a successor and a
    /// predecessor: it gets both ranges.
    static func copyRanges(_ chord: ChordTable, replicationFactor factor: Int) -> [NodeId: [CopyRange]] {
        let predecessors = chord.predecessors
        let whole = CopyRange(start: chord.selfId, end: chord.selfId)
        var ranges: [NodeId: [CopyRange]] = [:]
        for (index, successor) in chord.successors.prefix(factor - 1).enumerated() where successor != chord.selfId {
            let back = factor - 2 - index
            let range = back < predecessors.count && predecessors.count >= factor ? CopyRange(start: predecessors[back], end: chord.selfId) : whole
            ranges[NodeId(bytes: successor.bytes)!, default: []].append(range)
        }
        for predecessor in predecessors.prefix(factor - 1) where predecessor != chord.selfId {
            let range = predecessors.count >= factor ? CopyRange(start: predecessors[factor - 1], end: predecessor) : whole
            let peer = NodeId(bytes: predecessor.bytes)!
            if !(ranges[peer]?.contains(range) ?? false) { ranges[peer, default: []].append(range) }
        }
        return ranges
    }

    /// The first half of a step: queues, for each neighbor that is new or whose part changed,
    /// its part of our records, and every part again when the resync is due.
    mutating func noticeRing(_ chord: ChordTable, now: NodeTime) -> [Note] {
        var notes: [Note] = []
        let ranges = Replication.copyRanges(chord, replicationFactor: replicationFactor)
        if !viewKnown || ranges != copyRanges {
            resyncAt = now.monotonic.adding(milliseconds: resyncMilliseconds)
            queueParts(ranges, except: viewKnown ? copyRanges : nil, now: now, notes: &notes)
            viewKnown = true
            copyRanges = ranges
        }
        if let resync = resyncAt, resync <= now.monotonic {
            resyncAt = nil
            queueParts(copyRanges, now: now, notes: &notes)
        }
        return notes
    }

    /// Queues a hand-off of every neighbor's part in `ranges` that `previous` did not list
    /// (all of them without `previous`), in Node-ID order.
    mutating func queueParts(_ ranges: [NodeId: [CopyRange]], except previous: [NodeId: [CopyRange]]? = nil, now: NodeTime, notes: inout [Note]) {
        for (neighbor, parts) in ranges.sorted(by: { $0.key < $1.key }) {
            for range in parts where !(previous?[neighbor]?.contains(range) ?? false) {
                queueHandoff(HandoffJob(start: range.start, end: range.end, target: neighbor, replicaNumber: 1), now: now, notes: &notes)
            }
        }
    }

    /// A full queue (many replica Stores failed under load, say) drops the job and brings the
    /// resync forward instead: every neighbor's whole part, which covers the job, once the
    /// queue has room.
    mutating func queueHandoff(_ job: HandoffJob, now: NodeTime, notes: inout [Note]) {
        guard !queue.queue(job) else { return }
        notes.append(.overLimit)
        let resync = now.monotonic.adding(milliseconds: resyncMilliseconds)
        if resyncAt.map({ $0 > resync }) ?? true {
            notes.append(.log(.warn, "hand-off queue full (\(queue.capacity)): records for \(job.target.hex) go with the next resync"))
            resyncAt = resync
        }
    }

    /// The next batch of the first hand-off that may start, with the job moved on past it; nil
    /// when none may go now. `hasRoom`: the transaction table has room for hand-offs (they
    /// leave room for everything else). A target without a link waits for one (`retry`'s
    /// bounds), as long as it needs the range.
    mutating func nextHandoff<Backend: RecordBackend>(
        now: NodeTime, records: DataStore<Backend>, hasRoom: Bool, isLinked: (NodeId) -> Bool, notes: inout [Note]
    ) -> Handoff? {
        guard !queue.isEmpty, hasRoom, let index = queue.readyJob(at: now.monotonic) else { return nil }
        let job = queue.jobs[index]
        guard needsHandoff(job) else {
            queue.advanceJob(index, to: nil)
            return nil
        }
        guard isLinked(job.target) else {
            if job.attempts + 1 < maximumAttempts {
                queue.deferJob(index, until: now.monotonic.adding(milliseconds: retryDelay(job)))
            } else {
                queue.advanceJob(index, to: nil)
            }
            return nil
        }
        let batch: HandoffBatch
        do throws(StorageError) {
            batch = try records.handoffBatch(
                after: job.start, through: job.end, cursor: job.cursor, maximumValues: batchValues,
                maximumGroupBytes: maximumGroupBytes, now: now.wall)
        } catch {
            notes.append(.log(.error, "hand-off to \(job.target.hex): " + error.description))
            queue.advanceJob(index, to: nil)
            return nil
        }
        queue.advanceJob(index, to: batch.next)
        return Handoff(job: job, groups: batch.groups)
    }

    /// The second half of a step, after the batch went out: records we no longer hold go (the
    /// hand-offs only send records we keep, so at once), expired ones too; the next step is due
    /// an interval later, a tenth of it while hand-offs wait, at the resync at the latest.
    mutating func finishStep<Backend: RecordBackend>(_ chord: ChordTable, records: inout DataStore<Backend>, now: NodeTime) -> [Note] {
        var notes: [Note] = []
        removeForeignRecords(chord, records: &records, notes: &notes)
        do throws(StorageError) {
            _ = try records.purgeExpired(now: now.wall, limit: sliceRecords)
        } catch {
            notes.append(.log(.error, "purging expired records: " + error.description))
        }
        var next = now.monotonic.adding(milliseconds: queue.isEmpty ? intervalMilliseconds : max(intervalMilliseconds / 10, 1))
        if let resync = resyncAt, resync < next { next = resync }
        nextWork = next
        return notes
    }

    /// §10.7.3: records outside (r-th predecessor, self] are neither ours nor replicas we
    /// keep. Only when we know r predecessors: with fewer, the real ones are nearer still,
    /// and what we would remove might be ours.
    func removeForeignRecords<Backend: RecordBackend>(_ chord: ChordTable, records: inout DataStore<Backend>, notes: inout [Note]) {
        guard chord.predecessors.count >= replicationFactor else { return }
        let farthest = chord.predecessors[replicationFactor - 1]
        do throws(StorageError) {
            let removed = try records.removeRecords(after: chord.selfId, through: farthest, limit: sliceRecords)
            if removed > 0 { notes.append(.log(.info, "removed \(removed) record(s) this peer no longer holds (§10.7.3)")) }
        } catch {
            notes.append(.log(.error, "removing records: " + error.description))
        }
    }

    /// A hand-off or replica Store failed (refused, or no answer): the whole range goes again
    /// later, while the target still needs it and attempts remain.
    mutating func retry(_ job: HandoffJob, now: NodeTime) -> [Note] {
        guard needsHandoff(job) else { return [] }
        guard job.attempts + 1 < maximumAttempts else {
            return [.log(.warn, "hand-off of \(job.start.hex)...\(job.end.hex) to \(job.target.hex) given up after \(job.attempts + 1) attempts")]
        }
        var notes: [Note] = []
        let delay = retryDelay(job)
        queueHandoff(job.again(now: now.monotonic, delayMilliseconds: delay), now: now, notes: &notes)
        let at = now.monotonic.adding(milliseconds: delay)
        if nextWork.map({ $0 > at }) ?? true { nextWork = at }
        return notes
    }

    /// 2 s doubling to 30 s (`NodeConfiguration`), by the attempts made, with jitter.
    func retryDelay(_ job: HandoffJob) -> UInt64 {
        let doubled = retryMilliseconds << UInt64(min(job.attempts, 16))
        let spread: UInt64 = 500
        return min(doubled, maximumRetryMilliseconds) + ((try? random.uniform(below: spread)) ?? 0)
    }

    /// The target still holds the job's range with us (by our last view): a job queued for
    /// an older view, or a failed one, is not sent to a peer that would refuse it; the jobs
    /// of the new view cover what changed.
    func needsHandoff(_ job: HandoffJob) -> Bool {
        return copyRanges[job.target]?.contains { $0.contains(start: job.start, end: job.end) } ?? false
    }
}
