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
    /// 0: the target is now responsible; 1, 2, …: it is our replica (§10.4).
    let replicaNumber: UInt8
    var cursor: HandoffCursor? = nil
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

/// The node's storage duties over time: the ring view the last hand-off was computed from,
/// the hand-offs waiting, the local Fetches under way.
struct StorageProgress {
    var nextWork: Instant?
    /// False until the node, joined, first looked at its ring.
    var viewKnown = false
    var predecessor: RingId?
    var replicaTargets: [RingId] = []
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
    /// queued once (it restarts from the beginning of the range).
    mutating func queue(_ job: HandoffJob) -> Bool {
        if let index = jobs.firstIndex(where: { $0.start == job.start && $0.end == job.end && $0.target == job.target }) {
            jobs[index].cursor = nil
            return true
        }
        guard jobs.count < handoffCapacity else { return false }
        jobs.append(job)
        return true
    }

    mutating func advanceFirstJob(to cursor: HandoffCursor?) {
        precondition(!jobs.isEmpty)
        if let cursor { jobs[0].cursor = cursor } else { jobs.removeFirst() }
    }

    /// A millisecond later than the last storage_time when the clock has not moved on.
    mutating func nextStorageTime(wallMilliseconds: UInt64) -> UInt64 {
        lastStorageTime = max(wallMilliseconds, lastStorageTime + 1)
        return lastStorageTime
    }
}
