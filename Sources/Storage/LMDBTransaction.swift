import CLMDB

/// Reads and writes inside one transaction. Only valid inside the closure that received it.
public struct LMDBTransaction {
    let transaction: OpaquePointer
    let maximumKeyBytes: Int

    /// The value stored under `key`, or nil.
    public func get(_ key: [UInt8], in database: LMDBDatabase) throws(StorageError) -> [UInt8]? {
        try checkKey(key)
        var value = MDB_val(mv_size: 0, mv_data: nil)
        var mutableKey = key
        let code = mutableKey.withUnsafeMutableBytes { raw in
            var keyValue = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
            return mdb_get(transaction, database.handle, &keyValue, &value)
        }
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_get")
        guard let data = value.mv_data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: value.mv_size))
    }

    /// Stores `value` under `key`, replacing what was there.
    public mutating func put(_ value: [UInt8], for key: [UInt8], in database: LMDBDatabase) throws(StorageError) {
        try checkKey(key)
        var mutableKey = key
        var mutableValue = value
        let code = mutableKey.withUnsafeMutableBytes { keyRaw in
            mutableValue.withUnsafeMutableBytes { valueRaw in
                var keyValue = MDB_val(mv_size: keyRaw.count, mv_data: keyRaw.baseAddress)
                var dataValue = MDB_val(mv_size: valueRaw.count, mv_data: valueRaw.baseAddress)
                return mdb_put(transaction, database.handle, &keyValue, &dataValue, 0)
            }
        }
        try check(code, "mdb_put")
    }

    /// Deletes `key`; false if it was not there.
    @discardableResult
    public mutating func delete(_ key: [UInt8], in database: LMDBDatabase) throws(StorageError) -> Bool {
        try checkKey(key)
        var mutableKey = key
        let code = mutableKey.withUnsafeMutableBytes { raw in
            var keyValue = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
            return mdb_del(transaction, database.handle, &keyValue, nil)
        }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del")
        return true
    }

    /// Up to `limit` entries whose key is at least `start` (MDB_SET_RANGE, then MDB_NEXT), in
    /// key order. An empty `start` begins at the first key.
    public func entries(from start: [UInt8], limit: Int, in database: LMDBDatabase) throws(StorageError) -> [RecordEntry] {
        precondition(limit >= 0)
        if start.count > maximumKeyBytes { throw .keyTooLarge(start.count) }
        var cursor: OpaquePointer? = nil
        try check(mdb_cursor_open(transaction, database.handle, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        var found: [RecordEntry] = []
        var key = MDB_val(mv_size: 0, mv_data: nil)
        var value = MDB_val(mv_size: 0, mv_data: nil)
        var startBytes = start
        var code = startBytes.withUnsafeMutableBytes { raw -> Int32 in
            if raw.isEmpty { return mdb_cursor_get(cursor, &key, &value, MDB_FIRST) }
            key = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
            return mdb_cursor_get(cursor, &key, &value, MDB_SET_RANGE)
        }
        while code == 0 && found.count < limit {
            found.append(RecordEntry(key: LMDBTransaction.bytes(key), value: LMDBTransaction.bytes(value)))
            code = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
        }
        if code != 0 && code != MDB_NOTFOUND { try check(code, "mdb_cursor_get") }
        return found
    }

    static func bytes(_ value: MDB_val) -> [UInt8] {
        guard let data = value.mv_data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: value.mv_size))
    }

    /// Number of entries in the database.
    public func count(in database: LMDBDatabase) throws(StorageError) -> Int {
        var statistics = MDB_stat()
        try check(mdb_stat(transaction, database.handle, &statistics), "mdb_stat")
        return Int(statistics.ms_entries)
    }

    func checkKey(_ key: [UInt8]) throws(StorageError) {
        if key.isEmpty || key.count > maximumKeyBytes { throw .keyTooLarge(key.count) }
    }
}
