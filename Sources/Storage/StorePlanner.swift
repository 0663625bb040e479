import Reload
import Wire

/// The checks of one Store (§7.4.1.1), in the order this peer runs them, cheap first:
/// known kinds, sizes and counts, times against our clock, quota, signer certificates, access control,
/// self-signed user names, value signatures, storage times, generation counters. Each throws the refusal that names the
/// RFC error. The checks only read; `apply` writes once all of them passed.
struct StorePlanner {
    let request: StoreReq
    let kinds: StorageKinds
    let quota: StorageQuota
    let nodeIdLength: Int
    let now: WallTime
    let requestSigner: StorageSigner

    /// §7.4.1.1: replica_number 0 is the owner's store; anything else a replica (§10.4).
    var isReplica: Bool { request.replicaNumber > 0 }

    /// Check 1: every kind known (all unknown ones listed, §7.4.1.2), none twice, values in the
    /// kind's data model; for replicas, a plausible sender and a nonzero generation counter.
    func checkKinds(replicaSenderIsPlausible: Bool) throws(StorageRefusal) -> [StorageKind] {
        var found: [StorageKind] = []
        var unknown: [KindId] = []
        for data in request.kindData {
            guard let kind = kinds.kind(data.kind), data.values.values != nil else {
                unknown.append(data.kind)
                continue
            }
            found.append(kind)
        }
        if !unknown.isEmpty { throw .unknownKinds(unknown) }
        for (index, data) in request.kindData.enumerated() {
            if request.kindData[..<index].contains(where: { $0.kind == data.kind }) {
                throw .invalidRequest("kind " + String(data.kind.rawValue) + " twice (§7.4.1.1)")
            }
            if data.values.values?.contains(where: { $0.value.model != found[index].model }) == true {
                throw .invalidRequest("value not in the data model of kind " + String(data.kind.rawValue))
            }
            if isReplica && data.generationCounter == 0 {
                throw .invalidRequest("replica store with generation counter 0 (§7.4.1.1)")
            }
        }
        if isReplica && !replicaSenderIsPlausible {
            throw .forbidden(request.kindData.first?.kind ?? KindId(0), .implausibleReplicaSender)
        }
        return found
    }

    /// Check 2, what the request alone shows: Resource-ID length, each value's size and
    /// dictionary key against max-size and our limits, values per kind against max-count,
    /// no slot twice.
    func checkSizes(_ found: [StorageKind]) throws(StorageRefusal) {
        if request.resource.bytes.count > StorageLimits.maximumResourceIdBytes {
            throw .tooLarge(found.first?.id ?? KindId(0), "Resource-ID longer than this peer stores")
        }
        for (kind, data) in zip(found, request.kindData) {
            let values = data.values.values ?? []
            if values.count > kind.maxCount { throw .tooLarge(kind.id, "more values than max-count") }
            var slots: [RecordKey.Slot] = []
            for value in values {
                if value.value.dataValue.value.count > kind.maxSize { throw .tooLarge(kind.id, "value over max-size") }
                if case .dictionary(let entry) = value.value, entry.key.count > StorageLimits.maximumDictionaryKeyBytes {
                    throw .tooLarge(kind.id, "dictionary key longer than this peer stores")
                }
                let slot = RecordKey(resource: request.resource, kind: kind.id, value: value.value).slot
                if slot != .array(index: StorageLimits.appendIndex) {
                    if slots.contains(slot) { throw .invalidRequest("one value stored twice in a request") }
                    slots.append(slot)
                }
            }
        }
    }

    /// Check 2b, what the request alone shows against our clock (§7, §13.5.3): every value's
    /// storage_time + lifetime (its expiry, StoredRecord.expiry) is later than now minus the
    /// clock skew allowance, so a StoreReq replayed after its values expired stores nothing;
    /// and no storage_time is later than now plus the allowance. Replica and hand-off Stores
    /// (replica_number > 0) too: their senders left expired values out by their clocks and
    /// sent each value's lifetime counted from its storage_time, so an honest copy passes,
    /// and a replayed one is as stale as a replayed original. Refuses the whole request: a
    /// copy's values are not left out one by one as in check 7, since an honest sender's
    /// clock agrees with ours within the allowance.
    func checkTimes(_ found: [StorageKind]) throws(StorageRefusal) {
        let allowance = StorageLimits.clockSkewAllowanceMilliseconds
        let earliestExpiry = now.adding(milliseconds: -allowance)
        let latestStorageTime = now.adding(milliseconds: allowance)
        for (kind, data) in zip(found, request.kindData) {
            for value in data.values.values ?? [] {
                if WallTime(millisecondsSince1970: value.storageTime) > latestStorageTime {
                    throw .storageTimeInFuture(kind.id)
                }
                if StoredRecord.expiry(storageTime: value.storageTime, lifetime: value.lifetime) <= earliestExpiry {
                    throw .expired(kind.id)
                }
            }
        }
    }

    /// Reads what the request would replace and places appends (§7.4.1.1: index 0xffffffff
    /// goes to the end of the array).
    func load<Transaction: RecordTransaction>(
        _ found: [StorageKind], signers: [[StorageSigner?]], _ transaction: inout Transaction
    ) throws(StorageRefusal) -> [PlannedKind] {
        var plan: [PlannedKind] = []
        for (position, data) in request.kindData.enumerated() {
            let kind = found[position]
            let state = try StorageRefusal.lift { () throws(StorageError) in
                try transaction.kindState(resource: request.resource, kind: kind.id)
            }
            var planned = PlannedKind(kind: kind, generationCounter: data.generationCounter, values: [], state: state)
            var nextIndex = state.nextArrayIndex
            for (index, value) in (data.values.values ?? []).enumerated() {
                var stored = value
                if case .array(var entry) = value.value, entry.index == StorageLimits.appendIndex {
                    guard nextIndex < UInt64(StorageLimits.appendIndex) else { throw .tooLarge(kind.id, "array full") }
                    entry.index = UInt32(nextIndex)
                    nextIndex += 1
                    stored.value = .array(entry)
                }
                let key = RecordKey(resource: request.resource, kind: kind.id, value: stored.value)
                let existing = try StorageRefusal.lift { () throws(StorageError) in try transaction.record(at: key) }
                planned.values.append(PlannedValue(
                    data: stored, key: key, encoded: try StorePlanner.encode(stored, kind.id), existing: existing,
                    signer: signers[position][index]))
            }
            plan.append(planned)
        }
        return plan
    }

    static func encode(_ data: StoredData, _ kind: KindId) throws(StorageRefusal) -> [UInt8] {
        do throws(WireError) {
            return try data.encoded()
        } catch {
            throw .invalidRequest("value of kind " + String(kind.rawValue) + " cannot be encoded")
        }
    }
}
