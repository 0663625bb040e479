import Chord
import Reload
import Storage
import Wire

// Looking after the records over time (RFC 6940 §10.4, §10.7.3, §7): every record is held by
// its responsible peer and the next replication-factor − 1 peers after it. When the ring
// changes, each peer sends the records it holds to the neighbors that must now hold them too,
// in bounded batches; records it no longer holds are removed; expired records are purged. One
// step per `storageMaintenanceIntervalMilliseconds` (a tenth of it while hand-offs wait).
//
// Which records a neighbor T holds follows from the ring, so each peer computes it from its
// own view: with r the replication factor, a peer holds (its r-th predecessor, itself]. Of
// those, the records we hold too are, for our successor i (0-based, i < r − 1), (our
// (r − 2 − i)-th predecessor, self], and for our predecessor j, (our (r − 1)-th predecessor,
// predecessor j]. A neighbor that is new, or whose part changed, gets its part: a peer that
// joined gets what it now answers for (§10.5 step 6), a restarted one what changed while it
// was down, a new replica its copies, and when a peer dies the ranges it held reach their new
// holders (§10.7.3). The Stores carry replica_number 1: copies of others' data, not the
// sender's own (§7.4.1.1); values already there are left out (Error_Data_Too_Old when none is
// newer). In a ring of at most r peers every peer holds every record.
extension OverlayNode {
    func maintainStorage(now: NodeTime) {
        guard let due = storage.nextWork, due <= now.monotonic else { return }
        noticeRingChange(now: now)
        if let resync = storage.resyncAt, resync <= now.monotonic {
            storage.resyncAt = nil
            queueParts(storage.copyRanges, now: now)
        }
        _ = handOffBatch(now: now)
        // Hand-offs only send records we keep, so what we no longer hold may go at once.
        removeForeignRecords()
        purgeExpired(now: now)
        let interval = configuration.storageMaintenanceIntervalMilliseconds
        var next = now.monotonic.adding(milliseconds: storage.jobs.isEmpty ? interval : max(interval / 10, 1))
        if let resync = storage.resyncAt, resync < next { next = resync }
        storage.nextWork = next
    }

    func startStorageMaintenance(now: NodeTime) {
        storage.nextWork = now.monotonic.adding(milliseconds: configuration.storageMaintenanceIntervalMilliseconds / 2)
    }

    /// The records each neighbor holds that we hold too, as ranges (start, end] (start == end:
    /// the whole ring), by our current view. In a small ring a peer can be both a successor
    /// and a predecessor: it gets both ranges.
    func copyRanges() -> [NodeId: [CopyRange]] {
        let factor = configuration.replicationFactor
        let predecessors = chord.predecessors
        let whole = CopyRange(start: chord.selfId, end: chord.selfId)
        var ranges: [NodeId: [CopyRange]] = [:]
        for (index, successor) in chord.successors.prefix(factor - 1).enumerated() where successor != chord.selfId {
            let back = factor - 2 - index
            let range = back < predecessors.count && predecessors.count >= factor ? CopyRange(start: predecessors[back], end: chord.selfId) : whole
            ranges[nodeId(successor), default: []].append(range)
        }
        for predecessor in predecessors.prefix(factor - 1) where predecessor != chord.selfId {
            let range = predecessors.count >= factor ? CopyRange(start: predecessors[factor - 1], end: predecessor) : whole
            if !(ranges[nodeId(predecessor)]?.contains(range) ?? false) { ranges[nodeId(predecessor), default: []].append(range) }
        }
        return ranges
    }

    /// Queues, for each neighbor that is new or whose part changed, its part of our records,
    /// and every part again once the ring has settled.
    func noticeRingChange(now: NodeTime) {
        let ranges = copyRanges()
        if storage.viewKnown && ranges == storage.copyRanges { return }
        storage.resyncAt = now.monotonic.adding(milliseconds: configuration.storageResyncMilliseconds)
        queueParts(ranges, except: storage.viewKnown ? storage.copyRanges : nil, now: now)
        storage.viewKnown = true
        storage.copyRanges = ranges
    }

    /// Queues a hand-off of every neighbor's part in `ranges` that `previous` did not list
    /// (all of them without `previous`), in Node-ID order.
    func queueParts(_ ranges: [NodeId: [CopyRange]], except previous: [NodeId: [CopyRange]]? = nil, now: NodeTime) {
        for (neighbor, parts) in ranges.sorted(by: { $0.key < $1.key }) {
            for range in parts where !(previous?[neighbor]?.contains(range) ?? false) {
                queueHandoff(HandoffJob(start: range.start, end: range.end, target: neighbor, replicaNumber: 1), now: now)
            }
        }
    }

    /// A full queue (many replica Stores failed under load, say) drops the job and brings the
    /// resync forward instead: every neighbor's whole part, which covers the job, once the
    /// queue has room.
    func queueHandoff(_ job: HandoffJob, now: NodeTime) {
        if !storage.queue(job) {
            counters.droppedOverLimit += 1
            let resync = now.monotonic.adding(milliseconds: configuration.storageResyncMilliseconds)
            if storage.resyncAt.map({ $0 > resync }) ?? true {
                log(.warn, "hand-off queue full (\(storage.handoffCapacity)): records for \(job.target.hex) go with the next resync")
                storage.resyncAt = resync
            }
        }
    }

    /// Sends one batch of the first hand-off that may start; true while hand-offs remain. A
    /// target without a link waits for one (`retryHandoff`'s bounds), as long as it needs
    /// the range.
    func handOffBatch(now: NodeTime) -> Bool {
        guard !storage.jobs.isEmpty else { return false }
        // Leave room in the transaction table for everything else.
        guard transactions.count < transactions.capacity / 2, let index = storage.readyJob(at: now.monotonic) else { return true }
        let job = storage.jobs[index]
        guard needsHandoff(job) else {
            storage.advanceJob(index, to: nil)
            return !storage.jobs.isEmpty
        }
        guard links.link(to: job.target) != nil else {
            if job.attempts + 1 < configuration.maximumHandoffAttempts {
                storage.deferJob(index, until: now.monotonic.adding(milliseconds: handoffRetryDelay(job)))
            } else {
                storage.advanceJob(index, to: nil)
            }
            return !storage.jobs.isEmpty
        }
        let batch: HandoffBatch
        do throws(StorageError) {
            batch = try records.handoffBatch(
                after: job.start, through: job.end, cursor: job.cursor, maximumValues: configuration.handoffBatchValues,
                maximumGroupBytes: configuration.maxMessageSize / 2, now: now.wallMilliseconds)
        } catch {
            log(.error, "hand-off to \(job.target.hex): " + error.description)
            storage.advanceJob(index, to: nil)
            return !storage.jobs.isEmpty
        }
        for group in batch.groups { sendHandoff(group, job, now: now) }
        storage.advanceJob(index, to: batch.next)
        return !storage.jobs.isEmpty
    }

    /// A hand-off Store failed (refused, or no answer): the whole range goes again later,
    /// while the target still needs it and attempts remain.
    func retryHandoff(_ job: HandoffJob, now: NodeTime) {
        guard needsHandoff(job) else { return }
        guard job.attempts + 1 < configuration.maximumHandoffAttempts else {
            log(.warn, "hand-off of \(job.start.hex)...\(job.end.hex) to \(job.target.hex) given up after \(job.attempts + 1) attempts")
            return
        }
        let delay = handoffRetryDelay(job)
        queueHandoff(job.again(now: now.monotonic, delayMilliseconds: delay), now: now)
        if storage.nextWork == nil || storage.nextWork! > now.monotonic.adding(milliseconds: delay) {
            storage.nextWork = now.monotonic.adding(milliseconds: delay)
        }
    }

    /// 2 s doubling to 30 s (`NodeConfiguration`), by the attempts made.
    func handoffRetryDelay(_ job: HandoffJob) -> UInt64 {
        let doubled = configuration.handoffRetryMilliseconds << UInt64(min(job.attempts, 16))
        return min(doubled, configuration.maximumHandoffRetryMilliseconds) + jitter(500)
    }

    /// The target still holds the job's range with us (by our last view): a job queued for
    /// an older view, or a failed one, is not sent to a peer that would refuse it; the jobs
    /// of the new view cover what changed.
    func needsHandoff(_ job: HandoffJob) -> Bool {
        return storage.copyRanges[job.target]?.contains { $0.contains(start: job.start, end: job.end) } ?? false
    }

    /// One hand-off StoreReq; one over max-message-size (many signers' certificates) goes as
    /// two of half the values each, at most `maximumHandoffSplits` times over.
    func sendHandoff(_ group: HandoffGroup, _ job: HandoffJob, now: NodeTime, splits: Int = 0) {
        let carried = valueCertificates(group.kindData.flatMap { $0.values.values ?? [] }, now: now)
        let started = beginRequest(
            to: [.node(job.target)], body: .storeRequest(group.storeRequest(replicaNumber: job.replicaNumber)),
            purpose: .handoff(job.sent), now: now, certificates: carried)
        switch started {
        case .success:
            counters.handoffStores += 1
        case .failure(.tooLarge(let size)):
            guard splits < OverlayNode.maximumHandoffSplits, let (first, second) = group.halves() else {
                log(.warn, "hand-off to \(job.target.hex): one value of \(Hex.encode(group.resource.bytes)) needs \(size) bytes, over max-message-size")
                return
            }
            sendHandoff(first, job, now: now, splits: splits + 1)
            sendHandoff(second, job, now: now, splits: splits + 1)
        case .failure:
            log(.warn, "hand-off to \(job.target.hex): a StoreReq for \(Hex.encode(group.resource.bytes)) not sent")
        }
    }

    /// A group of at most `StorageLimits.handoffBatchValues` values halves at most this often.
    static var maximumHandoffSplits: Int { 8 }

    /// §10.7.3: records outside (r-th predecessor, self] are neither ours nor replicas we
    /// keep. Only when we know r predecessors: with fewer, the real ones are nearer still,
    /// and what we would remove might be ours.
    func removeForeignRecords() {
        let factor = configuration.replicationFactor
        guard chord.predecessors.count >= factor else { return }
        let farthest = chord.predecessors[factor - 1]
        do throws(StorageError) {
            let removed = try records.removeRecords(after: chord.selfId, through: farthest, limit: configuration.storageSliceRecords)
            if removed > 0 { log(.info, "removed \(removed) record(s) this peer no longer holds (§10.7.3)") }
        } catch {
            log(.error, "removing records: " + error.description)
        }
    }

    /// §7: a value lives `lifetime` seconds after storage; expired ones go.
    func purgeExpired(now: NodeTime) {
        do throws(StorageError) {
            _ = try records.purgeExpired(now: now.wallMilliseconds, limit: configuration.storageSliceRecords)
        } catch {
            log(.error, "purging expired records: " + error.description)
        }
    }
}
