import Chord
import Reload
import Storage
import Wire

// Looking after the records over time (RFC 6940 §10.7.3, §7): when the ring changes, the
// records move to the peers that now answer for them or replicate them, in bounded batches;
// records we no longer answer for nor replicate are removed; expired records are purged.
// One step per `storageMaintenanceIntervalMilliseconds` (a tenth of it while hand-offs wait).
extension OverlayNode {
    func maintainStorage(now: NodeTime) {
        guard let due = storage.nextWork, due <= now.monotonic else { return }
        noticeRingChange()
        let handingOff = handOffBatch(now: now)
        if !handingOff {
            removeForeignRecords()
            purgeExpired(now: now)
        }
        let interval = configuration.storageMaintenanceIntervalMilliseconds
        storage.nextWork = now.monotonic.adding(milliseconds: storage.jobs.isEmpty ? interval : max(interval / 10, 1))
    }

    func startStorageMaintenance(now: NodeTime) {
        storage.nextWork = now.monotonic.adding(milliseconds: configuration.storageMaintenanceIntervalMilliseconds / 2)
    }

    /// Compares the predecessor and the replica targets with those of the last step and
    /// queues what must move:
    /// - §10.5 step 6 / §10.7.3: a new predecessor inside our range took (old, new]: it gets
    ///   those records as their responsible peer. The Stores carry replica_number 1: they are
    ///   copies of others' data, not the sender's own (§7.4.1.1), and the new peer accepts them
    ///   from its successor (`isPlausibleCopySender`).
    /// - §10.4 / §10.7.3: a replica target that is new, or every target when our range grew
    ///   (a predecessor died and we answer for its range now), gets our range (predecessor,
    ///   self] as replica i. Records it holds already are refused with Error_Data_Too_Old.
    func noticeRingChange() {
        let predecessor = chord.predecessors.first
        let targets = chord.replicaTargets(replicationFactor: configuration.replicationFactor)
        if storage.viewKnown && predecessor == storage.predecessor && targets == storage.replicaTargets { return }
        let known = storage.viewKnown
        let oldPredecessor = storage.predecessor
        let oldTargets = storage.replicaTargets
        storage.viewKnown = true
        storage.predecessor = predecessor
        storage.replicaTargets = targets
        guard let predecessor else { return }
        var grew = !known
        if let old = oldPredecessor, old != predecessor {
            if predecessor.isStrictlyBetween(old, chord.selfId) {
                queueHandoff(HandoffJob(start: old, end: predecessor, target: nodeId(predecessor), replicaNumber: 1))
            } else {
                grew = true
            }
        }
        for (index, target) in targets.enumerated() where grew || !oldTargets.contains(target) {
            queueHandoff(HandoffJob(
                start: predecessor, end: chord.selfId, target: nodeId(target), replicaNumber: UInt8(clamping: index + 1)))
        }
    }

    func queueHandoff(_ job: HandoffJob) {
        if !storage.queue(job) {
            counters.droppedOverLimit += 1
            log(.warn, "hand-off queue full (\(storage.handoffCapacity)): records for \(job.target.hex) not sent")
        }
    }

    /// Sends one batch of the first hand-off; true while hand-offs remain. A target without a
    /// link any more is skipped (the ring changed again; a new job covers it).
    func handOffBatch(now: NodeTime) -> Bool {
        guard let job = storage.jobs.first else { return false }
        // Leave room in the transaction table for everything else.
        guard transactions.count < transactions.capacity / 2 else { return true }
        guard links.link(to: job.target) != nil else {
            storage.advanceFirstJob(to: nil)
            return !storage.jobs.isEmpty
        }
        let batch: HandoffBatch
        do throws(StorageError) {
            batch = try records.handoffBatch(
                after: job.start, through: job.end, cursor: job.cursor, maximumValues: configuration.handoffBatchValues,
                maximumGroupBytes: configuration.maxMessageSize / 2, now: now.wallMilliseconds)
        } catch {
            log(.error, "hand-off to \(job.target.hex): " + error.description)
            storage.advanceFirstJob(to: nil)
            return !storage.jobs.isEmpty
        }
        for group in batch.groups { sendHandoff(group, job, now: now) }
        storage.advanceFirstJob(to: batch.next)
        return !storage.jobs.isEmpty
    }

    /// One hand-off StoreReq; one over max-message-size (many signers' certificates) goes as
    /// two of half the values each, at most `maximumHandoffSplits` times over.
    func sendHandoff(_ group: HandoffGroup, _ job: HandoffJob, now: NodeTime, splits: Int = 0) {
        let carried = valueCertificates(group.kindData.flatMap { $0.values.values ?? [] }, now: now)
        let started = beginRequest(
            to: [.node(job.target)], body: .storeRequest(group.storeRequest(replicaNumber: job.replicaNumber)),
            purpose: .handoff(to: job.target), now: now, certificates: carried)
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
