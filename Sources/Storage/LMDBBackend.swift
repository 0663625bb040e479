/// The record store on the boards: one LMDB environment with a database per RecordTable.
///
/// Sync policy (board config `storage-sync`, `LMDBEnvironment.Sync`):
/// - `.everyCommit` (LMDB's default sync): `mdb_txn_commit` fsyncs before it returns, so a
///   Store answered with success survives a power cut. Costs one or two flash writes per Store.
/// - `.periodic` (`MDB_NOSYNC`): commits reach the kernel's page cache only; the owner calls
///   `sync()` (mdb_env_sync) on a timer it drives. A crash of the process loses nothing. A
///   power cut loses the Stores committed since the last `sync()`, which were already answered
///   with success (the replicas on the successors still hold them, §10.4); and on a file
///   system that does not keep the order of writes, LMDB's own documentation warns that the
///   file may be left corrupt, in which case the peer must start with an empty store and be
///   refilled by its neighbours (§10.7.3).
public struct LMDBBackend: RecordBackend {
    public struct Transaction: RecordTransaction {
        var transaction: LMDBTransaction
        let databases: [LMDBDatabase]

        public func get(_ key: [UInt8], in table: RecordTable) throws(StorageError) -> [UInt8]? {
            return try transaction.get(key, in: databases[table.rawValue])
        }

        public mutating func put(_ value: [UInt8], for key: [UInt8], in table: RecordTable) throws(StorageError) {
            try transaction.put(value, for: key, in: databases[table.rawValue])
        }

        @discardableResult
        public mutating func delete(_ key: [UInt8], in table: RecordTable) throws(StorageError) -> Bool {
            return try transaction.delete(key, in: databases[table.rawValue])
        }

        public func entries(in table: RecordTable, from start: [UInt8], limit: Int) throws(StorageError) -> [RecordEntry] {
            return try transaction.entries(from: start, limit: limit, in: databases[table.rawValue])
        }
    }

    public let environment: LMDBEnvironment
    let databases: [LMDBDatabase]

    /// Opens (creating if needed) the store in `directory`, which must exist. `mapSizeBytes`
    /// is the board's lmdb-map-size: when the map is full, Stores fail with `.mapFull`.
    public init(directory: String, mapSizeBytes: Int, sync: LMDBEnvironment.Sync) throws(StorageError) {
        environment = try LMDBEnvironment(
            directory: directory, mapSizeBytes: mapSizeBytes, maximumDatabases: RecordTable.allCases.count, sync: sync)
        var opened: [LMDBDatabase] = []
        for table in RecordTable.allCases {
            opened.append(try environment.openDatabase(named: table.name))
        }
        databases = opened
    }

    public mutating func write<Result>(
        _ body: (inout Transaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let databases = self.databases
        return try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) -> Result in
            var records = Transaction(transaction: transaction, databases: databases)
            return try body(&records)
        }
    }

    public func read<Result>(
        _ body: (inout Transaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let databases = self.databases
        return try environment.read { (transaction: inout LMDBTransaction) throws(StorageError) -> Result in
            var records = Transaction(transaction: transaction, databases: databases)
            return try body(&records)
        }
    }

    /// Flushes committed transactions to disk (for `.periodic`, on the owner's timer).
    public func sync() throws(StorageError) {
        try environment.sync()
    }
}
