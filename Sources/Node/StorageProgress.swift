import Chord
import Reload
import Storage
import Wire

/// One range of records to send to one peer (RFC 6940 §10.4, §10.5 step 6, §10.7.3), in
/// batches of `handoffBatchValues`, one batch per maintenance step.
struct HandoffJob: Equatable {
    /// The Resource-IDs in (start, end].
    let start: RingId
    let end: RingId
    let target: NodeId
    /// 1, 2, …: the replica number of the Stores (§10.4; a hand-off to a new responsible
    /// peer is number 1, see `noticeRingChange`).
    let replicaNumber: UInt8
    var cursor: HandoffCursor? = nil
    /// Sends of this range to this target that failed (no link, an error, no answer), and
    /// when the next may start.
    var attempts = 0
    var notBefore: Instant? = nil

    /// The same range again from its start, `delay` after `now`, one attempt more.
    func again(now: Instant, delayMilliseconds: UInt64) -> HandoffJob {
        var job = HandoffJob(start: start, end: end, target: target, replicaNumber: replicaNumber)
        job.attempts = attempts + 1
        job.notBefore = now.adding(milliseconds: delayMilliseconds)
        return job
    }

    /// The job as its Stores' purpose names it (§6.2.1: an answer or a failure finds it).
    var sent: HandoffJob { HandoffJob(start: start, end: end, target: target, replicaNumber: replicaNumber, attempts: attempts) }
}

/// A local Fetch under way: the request, how many peers were asked, the best verified answer
/// so far (the fewest values dropped, §7.4.2.2) and why the last attempt failed.
struct FetchProgress {
    let request: FetchReq
    var asked: Int
    var best: (responder: NodeId, answer: FetchAns, dropped: Int)?
    var lastFailure: RequestResult?
    /// §8: the signers' CERTIFICATE_BY_NODE was looked up once for this fetch; while those
    /// lookups run, the answer that needs them waits here.
    var lookedUpCertificates = false
    var awaitedCertificates: Set<NodeId> = []
    var heldAnswer: (responder: NodeId, answer: FetchAns)?

    init(request: FetchReq, asked: Int, best: (responder: NodeId, answer: FetchAns, dropped: Int)?, lastFailure: RequestResult?) {
        self.request = request
        self.asked = asked
        self.best = best
        self.lastFailure = lastFailure
    }
}

/// The records a neighbor holds that we hold too: (start, end] on the ring; start == end is
/// the whole ring.
struct CopyRange: Equatable {
    let start: RingId
    let end: RingId

    /// (start, end] lies inside this range.
    func contains(start: RingId, end: RingId) -> Bool {
        if self.start == self.end { return true }
        if start == end { return false }
        let from = self.start.distance(to: start), to = self.start.distance(to: end)
        return to > 0 && to <= self.start.distance(to: self.end) && from < to
    }
}

/// The node's storage duties over time: the ring view the last hand-offs were computed from,
/// the hand-offs waiting, the local Fetches under way.
struct StorageProgress {
    var nextWork: Instant?
    /// False until the node, joined, first looked at its ring.
    var viewKnown = false
    /// Each neighbor's part of our records when we last looked (`copyRanges`).
    var copyRanges: [NodeId: [CopyRange]] = [:]
    /// When every neighbor gets its part again: `storageResyncMilliseconds` after the last
    /// ring change; nil when done.
    var resyncAt: Instant?
    private(set) var jobs: [HandoffJob] = []
    let handoffCapacity: Int
    var fetches: [RequestHandle: FetchProgress] = [:]
    /// storage_time of the last value this node signed: strictly increasing (§7: a Store with
    /// a storage_time not newer than the stored one is refused).
    var lastStorageTime: UInt64 = 0

    init(handoffCapacity: Int) {
        precondition(handoffCapacity >= 1)
        self.handoffCapacity = handoffCapacity
    }

    /// Queues a hand-off; false when the queue is full. The same range to the same peer is
    /// queued once (it restarts from the beginning of the range, at the later start time).
    mutating func queue(_ job: HandoffJob) -> Bool {
        if let index = jobs.firstIndex(where: { $0.start == job.start && $0.end == job.end && $0.target == job.target }) {
            jobs[index].cursor = nil
            jobs[index].attempts = max(jobs[index].attempts, job.attempts)
            if let later = job.notBefore, jobs[index].notBefore.map({ $0 < later }) ?? true { jobs[index].notBefore = later }
            return true
        }
        guard jobs.count < handoffCapacity else { return false }
        jobs.append(job)
        return true
    }

    /// Hand-offs queued or still to come (a resync pending counts as one).
    var pendingHandoffs: Int { jobs.count + (resyncAt == nil ? 0 : 1) }

    /// The first job that may start at `now`.
    func readyJob(at now: Instant) -> Int? {
        return jobs.firstIndex { $0.notBefore.map { $0 <= now } ?? true }
    }

    mutating func advanceJob(_ index: Int, to cursor: HandoffCursor?) {
        precondition(jobs.indices.contains(index))
        if let cursor { jobs[index].cursor = cursor } else { jobs.remove(at: index) }
    }

    /// Puts a job back for later (its target has no link yet).
    mutating func deferJob(_ index: Int, until: Instant) {
        precondition(jobs.indices.contains(index))
        jobs[index].attempts += 1
        jobs[index].notBefore = until
    }

    /// A millisecond later than the last storage_time when the clock has not moved on.
    mutating func nextStorageTime(wallMilliseconds: UInt64) -> UInt64 {
        lastStorageTime = max(wallMilliseconds, lastStorageTime + 1)
        return lastStorageTime
    }
}
