import Chord
import Reload
import Storage
import Wire

/// The hand-offs waiting (ranges to send to one peer each), bounded by
/// `NodeConfiguration.maximumHandoffJobs`: more ring changes coalesce into the jobs there,
/// and a full queue refuses.
struct HandoffQueue {
    private(set) var jobs: [HandoffJob] = []
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
    }

    var isEmpty: Bool { jobs.isEmpty }
    var count: Int { jobs.count }

    /// Queues a hand-off; false when the queue is full. The same range to the same peer is
    /// queued once (it restarts from the beginning of the range, at the later start time).
    mutating func queue(_ job: HandoffJob) -> Bool {
        if let index = jobs.firstIndex(where: { $0.start == job.start && $0.end == job.end && $0.target == job.target }) {
            jobs[index].cursor = nil
            jobs[index].attempts = max(jobs[index].attempts, job.attempts)
            if let later = job.notBefore, jobs[index].notBefore.map({ $0 < later }) ?? true { jobs[index].notBefore = later }
            return true
        }
        guard jobs.count < capacity else { return false }
        jobs.append(job)
        return true
    }

    /// The first job that may start at `now`.
    func readyJob(at now: Instant) -> Int? {
        return jobs.firstIndex { $0.notBefore.map { $0 <= now } ?? true }
    }

    /// A batch of job `index` went out: it goes on from `cursor`, or is done (nil).
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
}
