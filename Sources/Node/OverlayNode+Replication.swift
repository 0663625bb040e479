import Chord
import Crypto
import Reload
import Storage
import Wire

// The records' way around the ring (RFC 6940 §10.4, §10.7.3) as the Replication part decides
// it: each maintenance step sends at most one batch of hand-off Stores, signed here, with the
// certificates of the values' signers (§6.3.4).
extension OverlayNode {
    func maintainStorage(now: NodeTime) {
        guard replication.isDue(now: now) else { return }
        take(replication.noticeRing(chord, now: now))
        // Leave room in the transaction table for everything else.
        let hasRoom = transactions.count < transactions.capacity / 2
        var notes: [Note] = []
        let handoff = replication.nextHandoff(now: now, records: records, hasRoom: hasRoom, isLinked: isLinked, notes: &notes)
        take(notes)
        if let handoff {
            for group in handoff.groups { sendHandoff(group, handoff.job, now: now) }
        }
        take(replication.finishStep(chord, records: &records, now: now))
    }

    func isLinked(_ peer: NodeId) -> Bool {
        return topology.links.link(to: peer) != nil
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
}
