import Crypto
import Reload
import Wire

/// The values one StoredDataSpecifier selects (§7.4.2.1), shared by Fetch and Stat: stored
/// values with the lifetime left, and synthesized nonexistent ones for requested places
/// that hold nothing (§7.4.2.2). Expired values count as nothing.
struct ValueSelection {
    enum Selected {
        case stored(StoredData)
        case synthesized(StoredDataValue)

        /// §7.4.2.2: exists = False, identity none, algorithm {0, 0}, empty signature.
        var storedData: StoredData {
            switch self {
            case .stored(let data): return data
            case .synthesized(let value):
                return StoredData(storageTime: 0, lifetime: 0, value: value, signature: .synthesized)
            }
        }

        /// §7.4.3.2 StoredMetaData; hash_value is SHA-256 over the value with its 4 length bytes.
        var metaData: StoredMetaData {
            let data = storedData
            let value = data.value.dataValue
            let length = UInt32(clamping: value.value.count)
            let lengthBytes = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> UInt32($0)) }
            let meta = MetaData(
                exists: value.exists, valueLength: length, hashAlgorithm: .sha256, hashValue: SHA256.hash(lengthBytes + value.value))
            let metaValue: MetaDataValue
            switch data.value {
            case .single: metaValue = .single(meta)
            case .array(let entry): metaValue = .array(index: entry.index, meta)
            case .dictionary(let entry): metaValue = .dictionary(key: entry.key, meta)
            }
            return StoredMetaData(storageTime: data.storageTime, lifetime: data.lifetime, metadata: metaValue)
        }
    }

    let resource: ResourceId
    let kind: StorageKind
    let now: WallTime

    /// The generation counter and the selected values; none when the requester already has
    /// this generation (§7.4.2.1).
    func select<Transaction: RecordTransaction>(
        _ specifier: StoredDataSpecifier, _ transaction: inout Transaction
    ) throws(StorageRefusal) -> (generation: UInt64, values: [Selected]) {
        let state = try StorageRefusal.lift { () throws(StorageError) in
            try transaction.kindState(resource: resource, kind: kind.id)
        }
        if specifier.generation != 0 && specifier.generation == state.generation { return (state.generation, []) }
        let live = try liveValues(min(Int(clamping: state.records), StorageLimits.maximumValuesPerResource), &transaction)
        switch (specifier.modelSpecifier, kind.model) {
        case (.singleValue, .singleValue):
            return (state.generation, [live.first.map { .stored($0.data) } ?? .synthesized(.single(.nonexistent))])
        case (.array(let ranges), .array):
            return (state.generation, try selectArray(ranges, live))
        case (.dictionary(let keys), .dictionary):
            return (state.generation, try selectDictionary(keys, live))
        default:
            throw .invalidRequest("specifier not in the data model of kind " + String(kind.id.rawValue))
        }
    }

    func liveValues<Transaction: RecordTransaction>(
        _ count: Int, _ transaction: inout Transaction
    ) throws(StorageRefusal) -> [(slot: RecordKey.Slot, data: StoredData)] {
        return try StorageRefusal.lift { () throws(StorageError) -> [(slot: RecordKey.Slot, data: StoredData)] in
            var values: [(slot: RecordKey.Slot, data: StoredData)] = []
            for (key, record) in try transaction.records(resource: resource, kind: kind.id, limit: count)
            where !record.isExpired(now: now) {
                values.append((key.slot, try record.storedData(model: kind.model, now: now)))
            }
            return values
        }
    }

    /// §7.4.2.1: each range first...last (0xffffffff: the last element); gaps up to the last
    /// stored index are synthesized (§7.2.2), nothing past the end.
    func selectArray(_ ranges: [ArrayRange], _ live: [(slot: RecordKey.Slot, data: StoredData)]) throws(StorageRefusal) -> [Selected] {
        var byIndex: [UInt32: StoredData] = [:]
        for value in live { if case .array(let index) = value.slot { byIndex[index] = value.data } }
        guard let highest = byIndex.keys.max() else { return [] }
        var selected: [Selected] = []
        for range in ranges {
            let last = range.last == StorageLimits.lastArrayIndex ? highest : min(range.last, highest)
            if range.first > range.last { throw .invalidRequest("array range with first > last") }
            if range.first > last { continue }
            var index = range.first
            while true {
                if selected.count >= StorageLimits.valuesPerAnswer { throw .responseTooLarge(kind.id) }
                selected.append(byIndex[index].map { .stored($0) } ?? .synthesized(.array(ArrayEntry(index: index, value: .nonexistent))))
                if index == last { break }
                index += 1
            }
        }
        return selected
    }

    /// §7.4.2.1: the listed keys, or every stored key when none is listed.
    func selectDictionary(_ keys: [[UInt8]], _ live: [(slot: RecordKey.Slot, data: StoredData)]) throws(StorageRefusal) -> [Selected] {
        if keys.isEmpty {
            if live.count > StorageLimits.valuesPerAnswer { throw .responseTooLarge(kind.id) }
            return live.map { .stored($0.data) }
        }
        return keys.map { key in
            for value in live where value.slot == .dictionary(key: key) { return .stored(value.data) }
            return .synthesized(.dictionary(DictionaryEntry(key: key, value: .nonexistent)))
        }
    }
}
