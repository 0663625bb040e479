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
    /// peer is number 1, see `Replication.noticeRing`).
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

    /// The replica Store of one resource to `target` after a Store we answered as its
    /// responsible peer (§10.4): a failure sends the resource's records again, as a hand-off
    /// of the one-point range.
    static func replica(of resource: RingId, to target: NodeId, number: UInt8) -> HandoffJob {
        return HandoffJob(start: RingId(resource.value &- 1), end: resource, target: target, replicaNumber: number)
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
