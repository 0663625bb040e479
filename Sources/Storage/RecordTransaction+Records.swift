import Reload
import Wire

// The indexes kept beside the records, maintained in one place for both backends: every
// record change goes through putRecord/removeRecord, which update the expiry index, the
// owner's and the store's usage, the certificate references and the (resource, kind) state in
// the same transaction.
extension RecordTransaction {
    public func record(at key: RecordKey) throws(StorageError) -> StoredRecord? {
        guard let bytes = try get(key.bytes, in: .records) else { return nil }
        return try StoredRecord(bytes: bytes)
    }

    /// Stores `record` at `key`, replacing (and un-counting) what was there. `certificates` are
    /// the DER certificates of `record.certificateKeys`, in the same order.
    public mutating func putRecord(_ record: StoredRecord, at key: RecordKey, certificates: [[UInt8]] = []) throws(StorageError) {
        precondition(certificates.count == record.certificateKeys.count, "a certificate for each key")
        let keyBytes = key.bytes
        var state = try kindState(resource: key.resource, kind: key.kind)
        if let old = try get(keyBytes, in: .records) {
            try unindex(try StoredRecord(bytes: old), keyBytes)
        } else {
            state.records &+= 1
        }
        if case .array(let index) = key.slot { state.nextArrayIndex = max(state.nextArrayIndex, UInt64(index) + 1) }
        try put(record.bytes, for: keyBytes, in: .records)
        try put([], for: StoredRecord.expiryKey(record.expires, keyBytes), in: .expiry)
        try account(record, sign: 1)
        try reference(record.certificateKeys, certificates: certificates, sign: 1)
        try put(state.bytes, for: KindState.key(resource: key.resource, kind: key.kind), in: .kinds)
    }

    /// Removes the record at `key` with its index entries; the (resource, kind) state goes
    /// with its last record. Returns what was removed.
    @discardableResult
    public mutating func removeRecord(at key: RecordKey) throws(StorageError) -> StoredRecord? {
        let keyBytes = key.bytes
        guard let old = try get(keyBytes, in: .records) else { return nil }
        let record = try StoredRecord(bytes: old)
        try unindex(record, keyBytes)
        try delete(keyBytes, in: .records)
        let stateKey = KindState.key(resource: key.resource, kind: key.kind)
        var state = try kindState(resource: key.resource, kind: key.kind)
        state.records = state.records > 0 ? state.records - 1 : 0
        if state.records == 0 {
            try delete(stateKey, in: .kinds)
        } else {
            try put(state.bytes, for: stateKey, in: .kinds)
        }
        return record
    }

    /// The generation counter and counts of a (resource, kind); zeros when it holds nothing.
    public func kindState(resource: ResourceId, kind: KindId) throws(StorageError) -> KindState {
        guard let bytes = try get(KindState.key(resource: resource, kind: kind), in: .kinds) else { return KindState() }
        return try KindState(bytes: bytes)
    }

    /// Sets the generation counter of a (resource, kind) that holds at least one record.
    public mutating func setGeneration(_ generation: UInt64, resource: ResourceId, kind: KindId) throws(StorageError) {
        var state = try kindState(resource: resource, kind: kind)
        guard state.records > 0 else { return }
        state.generation = generation
        try put(state.bytes, for: KindState.key(resource: resource, kind: kind), in: .kinds)
    }

    /// What `owner` holds here.
    public func usage(owner: [UInt8]) throws(StorageError) -> RecordUsage {
        guard let bytes = try get(RecordUsage.key(owner: owner), in: .usage) else { return RecordUsage() }
        return try RecordUsage(encoded: bytes)
    }

    /// What the whole store holds.
    public func totalUsage() throws(StorageError) -> RecordUsage {
        guard let bytes = try get(RecordUsage.totalKey, in: .usage) else { return RecordUsage() }
        return try RecordUsage(encoded: bytes)
    }

    /// The records of a (resource, kind) in slot order, at most `limit`.
    public func records(resource: ResourceId, kind: KindId, limit: Int) throws(StorageError) -> [(key: RecordKey, record: StoredRecord)] {
        let prefix = RecordKey.prefix(resource: resource, kind: kind)
        var found: [(key: RecordKey, record: StoredRecord)] = []
        var start = prefix
        while found.count < limit {
            let chunk = try entries(in: .records, from: start, limit: min(StorageLimits.cursorChunk, limit - found.count))
            for entry in chunk {
                guard entry.key.starts(with: prefix) else { return found }
                guard let key = RecordKey(bytes: entry.key) else { throw .corruptRecord("record key") }
                found.append((key, try StoredRecord(bytes: entry.value)))
            }
            guard let last = chunk.last, chunk.count == StorageLimits.cursorChunk else { return found }
            start = last.key + [0]
        }
        return found
    }

    mutating func unindex(_ record: StoredRecord, _ keyBytes: [UInt8]) throws(StorageError) {
        try delete(StoredRecord.expiryKey(record.expires, keyBytes), in: .expiry)
        try account(record, sign: -1)
        try reference(record.certificateKeys, certificates: [], sign: -1)
    }

    mutating func account(_ record: StoredRecord, sign: Int) throws(StorageError) {
        var owner = try usage(owner: record.owner)
        owner.account(bytes: record.quotaBytes, sign: sign)
        try put(owner.encoded, for: RecordUsage.key(owner: record.owner), in: .usage)
        var total = try totalUsage()
        total.account(bytes: record.quotaBytes, sign: sign)
        try put(total.encoded, for: RecordUsage.totalKey, in: .usage)
    }
}
