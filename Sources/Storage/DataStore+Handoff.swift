import Chord
import Reload
import Wire

extension DataStore {
    /// Up to `maximumValues` (at most `StorageLimits.handoffBatchValues`) stored values whose
    /// Resource-ID lies in (start, end], grouped per resource and kind, ready to send as
    /// StoreReqs: to a joining peer that takes over the interval (§10.5 step 6), to new
    /// replicas (§10.4, §10.7.3). A group holds values of at most `maximumGroupBytes` (stored
    /// size) unless one value alone is larger, so that its StoreReq fits a message; a resource
    /// with more becomes several groups. Expired values and kinds no longer configured are
    /// left out. Pass `next` back as `cursor` until it is nil.
    public func handoffBatch(
        after start: RingId, through end: RingId, cursor: HandoffCursor?, maximumValues: Int, maximumGroupBytes: Int = Int.max,
        now: WallTime
    ) throws(StorageError) -> HandoffBatch {
        precondition(maximumValues >= 1 && maximumGroupBytes >= 1)
        let limit = min(maximumValues, StorageLimits.handoffBatchValues)
        let interval = RingInterval(start: start, end: end)
        return try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> HandoffBatch in
            let (records, next) = try interval.walk(from: cursor, limit: limit, &transaction)
            var groups: [HandoffGroup] = []
            var groupBytes = 0
            for (key, record) in records where !record.isExpired(now: now) {
                guard let kind = kinds.kind(key.kind) else { continue }
                let data = try record.copiedStoredData(model: kind.model)
                let size = record.storedData.count
                if groups.last?.resource != key.resource || (groupBytes > 0 && groupBytes + size > maximumGroupBytes) {
                    groups.append(HandoffGroup(resource: key.resource, kindData: []))
                    groupBytes = 0
                }
                groupBytes += size
                if groups[groups.count - 1].kindData.last?.kind != key.kind {
                    let state = try transaction.kindState(resource: key.resource, kind: key.kind)
                    groups[groups.count - 1].kindData.append(
                        StoreKindData(kind: key.kind, generationCounter: max(state.generation, 1), values: []))
                }
                let last = groups[groups.count - 1].kindData.count - 1
                groups[groups.count - 1].kindData[last].values = .known((groups[groups.count - 1].kindData[last].values.values ?? []) + [data])
            }
            return HandoffBatch(groups: groups, next: next)
        }
    }

    /// Deletes up to `limit` records whose Resource-ID lies in (start, end], after they were
    /// handed off and this peer is neither responsible nor a replica for them (§10.5 step 7,
    /// §10.7.3). Returns how many went; call again while it returns `limit`.
    public mutating func removeRecords(after start: RingId, through end: RingId, limit: Int) throws(StorageError) -> Int {
        precondition(limit >= 0)
        let interval = RingInterval(start: start, end: end)
        let slice = min(limit, StorageLimits.purgeSlice)
        return try backend.write { (transaction: inout Backend.Transaction) throws(StorageError) -> Int in
            let (records, _) = try interval.walk(from: nil, limit: slice, &transaction)
            for (key, _) in records { try transaction.removeRecord(at: key) }
            return records.count
        }
    }
}
