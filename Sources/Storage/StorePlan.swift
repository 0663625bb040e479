import Crypto
import Reload
import Wire

/// One value of a Store, with what the checks need: where it goes (an append's index
/// assigned), what it replaces, who signed it, and its bytes as they will be stored.
struct PlannedValue {
    var data: StoredData
    var key: RecordKey
    var encoded: [UInt8]
    /// The record it replaces, if any (an expired one included: it is overwritten).
    var existing: StoredRecord?
    var signer: StorageSigner?

    /// The replaced value when it has not expired: only such a value constrains
    /// storage_time (§13.5.3) and a tombstone's lifetime (§7.4.1.3).
    func liveExisting(now: WallTime) -> StoredRecord? {
        guard let existing, !existing.isExpired(now: now) else { return nil }
        return existing
    }

    var owner: [UInt8]? {
        guard let signer else { return nil }
        return Array(signer.identity.userName.utf8.prefix(StorageLimits.maximumUserNameBytes))
    }
}

/// The values of one kind of a Store and the state of that (resource, kind) before it.
struct PlannedKind {
    var kind: StorageKind
    var generationCounter: UInt64
    var values: [PlannedValue]
    var state: KindState

    var newRecords: Int { values.filter { $0.existing == nil }.count }
}
