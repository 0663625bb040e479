/// The tables of the record store. Each is an ordered map from byte strings to byte strings,
/// compared byte by byte (memcmp order, as LMDB compares keys).
public enum RecordTable: Int, CaseIterable, Sendable {
    /// RecordKey → StoredRecord (the §7 StoredData with our expiry and owner in front).
    case records = 0
    /// expiry u64 ‖ RecordKey → empty: the records in the order they expire.
    case expiry = 1
    /// user name → RecordUsage: records and bytes each user holds here (the quota).
    case usage = 2
    /// kind u32 ‖ resource → KindState: generation counter and record count per (resource,
    /// kind) (§7.4.1.1); in kind order, it is also the index Find walks (§7.4.4).
    case kinds = 3
    /// CertificateKey → references u32 ‖ DER certificate: the certificates of the signers of
    /// the values held here, and the certificates stored as CERTIFICATE_BY_NODE/USER values
    /// (RFC 6940 §6.3.4 "a peer storing data is obligated to retain certificates for the data
    /// that it holds", §8), each counted by the records that refer to it and removed with the
    /// last of them.
    case certificates = 4

    /// The LMDB database name.
    public var name: String {
        switch self {
        case .records: return "records"
        case .expiry: return "expiry"
        case .usage: return "usage"
        case .kinds: return "kinds"
        case .certificates: return "certificates"
        }
    }
}

/// One key and its value, as a range read returns them.
public struct RecordEntry: Equatable, Sendable {
    public var key: [UInt8]
    public var value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// Reads and writes of one transaction over the five tables. Everything above (DataStore,
/// the indexes, quotas) is written once against this protocol, so both backends behave the
/// same by construction; they differ only in how they keep an ordered map.
public protocol RecordTransaction {
    /// The value under `key`, or nil.
    func get(_ key: [UInt8], in table: RecordTable) throws(StorageError) -> [UInt8]?
    /// Stores `value` under `key`, replacing what was there.
    mutating func put(_ value: [UInt8], for key: [UInt8], in table: RecordTable) throws(StorageError)
    /// Deletes `key`; false if it was not there.
    @discardableResult
    mutating func delete(_ key: [UInt8], in table: RecordTable) throws(StorageError) -> Bool
    /// Up to `limit` entries whose key is at least `start`, in key order.
    func entries(in table: RecordTable, from start: [UInt8], limit: Int) throws(StorageError) -> [RecordEntry]
}

/// Where records live: LMDB on the boards (`LMDBBackend`), memory in the simulator and tests
/// (`InMemoryBackend`). A write transaction is all or nothing: committed when `body` returns,
/// rolled back when it throws (RFC 6940 §7.4.1.1: a Store is atomic). `write` returns only
/// after the commit succeeded, so an answer built from its result describes durable state (as
/// durable as the backend's sync policy makes it).
public protocol RecordBackend {
    associatedtype Transaction: RecordTransaction

    mutating func write<Result>(
        _ body: (inout Transaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result

    /// A read-only snapshot; writes inside fail (LMDB) or are discarded (memory).
    func read<Result>(
        _ body: (inout Transaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result
}
