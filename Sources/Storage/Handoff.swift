import Chord
import Reload

/// The values of one resource that hand-off or replication sends in one StoreReq (§10.4,
/// §10.5 step 6, §10.7.3): StoreKindData per kind with the stored generation counter (never
/// 0 for stored data) and each value's lifetime counted from its storage_time to its expiry
/// here (`StoredRecord.lifetimeFromStorageTime`; §7.4.1.1's "adjust the lifetime value
/// downward" when expiry is storage_time + lifetime).
public struct HandoffGroup: Equatable, Sendable {
    public var resource: ResourceId
    public var kindData: [StoreKindData]

    /// The Store to send; replica_number 1, 2, … for replicas (§10.4), 0 for a hand-off to
    /// the new responsible peer (it is then the original copy there).
    public func storeRequest(replicaNumber: UInt8) -> StoreReq {
        return StoreReq(resource: resource, replicaNumber: replicaNumber, kindData: kindData)
    }

    public var valueCount: Int { kindData.reduce(0) { $0 + ($1.values.values?.count ?? 0) } }

    /// The values in two groups of about half each, in order (a StoreReq that does not fit a
    /// message is sent as two); nil for a single value.
    public func halves() -> (HandoffGroup, HandoffGroup)? {
        let total = valueCount
        guard total >= 2 else { return nil }
        var first = HandoffGroup(resource: resource, kindData: [])
        var second = HandoffGroup(resource: resource, kindData: [])
        var taken = 0
        for data in kindData {
            let values = data.values.values ?? []
            let here = min(values.count, max(0, total / 2 - taken))
            if here > 0 {
                first.kindData.append(StoreKindData(kind: data.kind, generationCounter: data.generationCounter, values: Array(values[..<here])))
            }
            if here < values.count {
                second.kindData.append(StoreKindData(kind: data.kind, generationCounter: data.generationCounter, values: Array(values[here...])))
            }
            taken += here
        }
        return (first, second)
    }
}

/// Where the next `handoffBatch` or `removeRecords` call continues.
public struct HandoffCursor: Equatable, Sendable {
    /// 0: the part of the interval up to the top of the ring; 1: the part from 0 (a wrap).
    let segment: Int
    /// The first record key not yet visited.
    let key: [UInt8]
}

/// One batch of hand-off groups; `next` is nil once the interval is done.
public struct HandoffBatch: Equatable, Sendable {
    public var groups: [HandoffGroup]
    public var next: HandoffCursor?

    public var valueCount: Int { groups.reduce(0) { sum, group in sum + group.kindData.reduce(0) { $0 + ($1.values.values?.count ?? 0) } } }
}

/// The records whose Resource-ID lies in the ring interval (start, end] (§10.1 arithmetic
/// mod 2^128; start == end is the whole ring), walked in key order as one or two segments of
/// the records table. Only 16-byte Resource-IDs are on the CHORD-RELOAD ring.
struct RingInterval {
    let start: RingId
    let end: RingId

    /// Key ranges [low, high] of the interval, as ring points.
    var segments: [(low: RingId, high: RingId)] {
        let first = start.adding(1)
        if start == end { return [(RingId(0), RingId(UInt128.max))] }
        if first.value <= end.value && start.value < end.value { return [(first, end)] }
        var parts: [(low: RingId, high: RingId)] = []
        if start.value != UInt128.max { parts.append((first, RingId(UInt128.max))) }
        parts.append((RingId(0), end))
        return parts
    }

    static func keyStart(_ point: RingId) -> [UInt8] { [UInt8(RingId.byteCount)] + point.bytes }

    /// Up to `limit` live-or-expired records from `cursor` on, examining at most
    /// `StorageLimits.scanSlice` table entries, and where to continue (nil: done).
    func walk<Transaction: RecordTransaction>(
        from cursor: HandoffCursor?, limit: Int, _ transaction: inout Transaction
    ) throws(StorageError) -> (records: [(key: RecordKey, record: StoredRecord)], next: HandoffCursor?) {
        let parts = segments
        var segment = cursor?.segment ?? 0
        var position = cursor?.key ?? RingInterval.keyStart(parts[0].low)
        var found: [(key: RecordKey, record: StoredRecord)] = []
        var examined = 0
        while segment < parts.count {
            let chunk = try transaction.entries(in: .records, from: position, limit: StorageLimits.cursorChunk)
            var segmentDone = chunk.count < StorageLimits.cursorChunk
            for entry in chunk {
                if found.count >= limit || examined >= StorageLimits.scanSlice {
                    return (found, HandoffCursor(segment: segment, key: entry.key))
                }
                examined += 1
                guard let key = RecordKey(bytes: entry.key), let point = RingId(bytes: key.resource.bytes),
                    point <= parts[segment].high
                else {
                    segmentDone = true
                    break
                }
                found.append((key, try StoredRecord(bytes: entry.value)))
                position = entry.key + [0]
            }
            if segmentDone {
                segment += 1
                if segment < parts.count { position = RingInterval.keyStart(parts[segment].low) }
            }
        }
        return (found, nil)
    }
}
