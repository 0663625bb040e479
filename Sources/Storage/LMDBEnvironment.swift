import CLMDB

/// One LMDB environment (a memory-mapped B-tree file in a directory), owned: init opens it,
/// deinit closes it. The peer has one; transactions are short and synchronous on the loop.
public final class LMDBEnvironment {
    /// When LMDB writes the data to stable storage (board config `storage-sync`).
    public enum Sync: Equatable, Sendable {
        /// fsync at every commit: an acknowledged Store survives a power cut.
        case everyCommit
        /// No fsync at commit (MDB_NOSYNC); the owner calls `sync()` on a timer it drives. A
        /// crash of the process loses nothing (the OS has the pages); a power cut loses the
        /// writes since the last sync, Stores that were already answered with success. On a
        /// file system that keeps the order of writes, LMDB's copy-on-write keeps the file
        /// consistent; on one that does not, LMDB documents that the file may be corrupted.
        case periodic
    }

    let environment: OpaquePointer
    public let mapSizeBytes: Int

    /// Opens (creating if needed) the environment in `directory`, which must exist.
    public init(directory: String, mapSizeBytes: Int, maximumDatabases: Int, sync: Sync) throws(StorageError) {
        precondition(mapSizeBytes > 0 && maximumDatabases > 0)
        var created: OpaquePointer? = nil
        try check(mdb_env_create(&created), "mdb_env_create")
        environment = created!
        self.mapSizeBytes = mapSizeBytes
        try check(mdb_env_set_mapsize(environment, mapSizeBytes), "mdb_env_set_mapsize")
        try check(mdb_env_set_maxdbs(environment, MDB_dbi(maximumDatabases)), "mdb_env_set_maxdbs")
        // One thread, no reader table contention: MDB_NOTLS keeps read transactions off
        // thread-local storage, which also suits the static board binaries.
        var flags = UInt32(MDB_NOTLS)
        if sync == .periodic { flags |= UInt32(MDB_NOSYNC) }
        var path = Array(directory.utf8).map { CChar(bitPattern: $0) }
        path.append(0)
        let code = path.withUnsafeBufferPointer { mdb_env_open(environment, $0.baseAddress, flags, 0o600) }
        try check(code, "mdb_env_open \(directory)")
    }

    deinit {
        mdb_env_close(environment)
    }

    /// "LMDB 0.9.24: (July 24, 2019)"
    public static var version: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        _ = mdb_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    static func describe(_ code: Int32) -> String {
        guard let text = mdb_strerror(code) else { return "error \(code)" }
        var length = 0
        while text[length] != 0 { length += 1 }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// The largest key LMDB accepts in this environment.
    public var maximumKeyBytes: Int { Int(mdb_env_get_maxkeysize(environment)) }

    /// Flushes to disk now (for `Sync.periodic`, on the owner's timer).
    public func sync() throws(StorageError) {
        try check(mdb_env_sync(environment, 1), "mdb_env_sync")
    }

    /// Opens (or creates) a named database inside the environment.
    public func openDatabase(named name: String) throws(StorageError) -> LMDBDatabase {
        return try write { (transaction: inout LMDBTransaction) throws(StorageError) -> LMDBDatabase in
            var handle: MDB_dbi = 0
            var bytes = Array(name.utf8).map { CChar(bitPattern: $0) }
            bytes.append(0)
            let code = bytes.withUnsafeBufferPointer { mdb_dbi_open(transaction.transaction, $0.baseAddress, UInt32(MDB_CREATE), &handle) }
            try check(code, "mdb_dbi_open \(name)")
            return LMDBDatabase(handle: handle)
        }
    }

    /// Runs `body` in a write transaction: committed when it returns, aborted when it throws
    /// (all or nothing; RFC 6940 §7.4.1.1 asks that a Store be atomic).
    public func write<Result>(
        _ body: (inout LMDBTransaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        var transaction = try begin(flags: 0)
        let result: Result
        do {
            result = try body(&transaction)
        } catch {
            mdb_txn_abort(transaction.transaction)
            throw error
        }
        try check(mdb_txn_commit(transaction.transaction), "mdb_txn_commit")
        return result
    }

    /// Runs `body` in a read-only transaction (a consistent snapshot).
    public func read<Result>(
        _ body: (inout LMDBTransaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        var transaction = try begin(flags: UInt32(MDB_RDONLY))
        defer { mdb_txn_abort(transaction.transaction) }
        return try body(&transaction)
    }

    func begin(flags: UInt32) throws(StorageError) -> LMDBTransaction {
        var handle: OpaquePointer? = nil
        try check(mdb_txn_begin(environment, nil, flags, &handle), "mdb_txn_begin")
        return LMDBTransaction(transaction: handle!, maximumKeyBytes: maximumKeyBytes)
    }
}

/// A database handle inside an environment.
public struct LMDBDatabase: Sendable {
    let handle: MDB_dbi
}
