import CLMDB

/// Why the record store failed.
public enum StorageError: Error, Equatable {
    /// An LMDB call returned an error code (MDB_* or errno).
    case lmdb(operation: String, code: Int32)
    /// The map is full: the board's lmdb-map-size is reached. Stores are refused until
    /// records expire or are removed.
    case mapFull
    /// A key longer than LMDB allows (mdb_env_get_maxkeysize, 511 bytes by default).
    case keyTooLarge(Int)
    /// A record read back from the store is not what we wrote (a damaged file).
    case corruptRecord(String)

    public var description: String {
        switch self {
        case .lmdb(let operation, let code):
            return "\(operation): \(LMDBEnvironment.describe(code)) (\(code))"
        case .mapFull:
            return "the record store is full (lmdb-map-size)"
        case .keyTooLarge(let length):
            return "key of \(length) bytes is longer than LMDB allows"
        case .corruptRecord(let what):
            return "corrupt record in the store: " + what
        }
    }
}

@inline(__always)
func check(_ code: Int32, _ operation: String) throws(StorageError) {
    if code == MDB_MAP_FULL { throw .mapFull }
    if code != 0 { throw .lmdb(operation: operation, code: code) }
}
