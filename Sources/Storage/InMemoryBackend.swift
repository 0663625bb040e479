/// The record store in memory, for the simulator and the tests: each table a sorted array.
/// A write transaction works on a copy of the tables and replaces them on success, so a
/// failed transaction leaves nothing behind, like LMDB's abort. Bounded by the DataStore's
/// record and quota limits, as the LMDB map is by its size.
public struct InMemoryBackend: RecordBackend {
    public struct Transaction: RecordTransaction {
        var tables: [[RecordEntry]]

        public func get(_ key: [UInt8], in table: RecordTable) throws(StorageError) -> [UInt8]? {
            let rows = tables[table.rawValue]
            let position = InMemoryBackend.lowerBound(key, in: rows)
            if position < rows.count && rows[position].key == key { return rows[position].value }
            return nil
        }

        public mutating func put(_ value: [UInt8], for key: [UInt8], in table: RecordTable) throws(StorageError) {
            try InMemoryBackend.checkKey(key)
            let position = InMemoryBackend.lowerBound(key, in: tables[table.rawValue])
            if position < tables[table.rawValue].count && tables[table.rawValue][position].key == key {
                tables[table.rawValue][position].value = value
            } else {
                tables[table.rawValue].insert(RecordEntry(key: key, value: value), at: position)
            }
        }

        @discardableResult
        public mutating func delete(_ key: [UInt8], in table: RecordTable) throws(StorageError) -> Bool {
            try InMemoryBackend.checkKey(key)
            let position = InMemoryBackend.lowerBound(key, in: tables[table.rawValue])
            guard position < tables[table.rawValue].count && tables[table.rawValue][position].key == key else {
                return false
            }
            tables[table.rawValue].remove(at: position)
            return true
        }

        public func entries(in table: RecordTable, from start: [UInt8], limit: Int) throws(StorageError) -> [RecordEntry] {
            precondition(limit >= 0)
            let rows = tables[table.rawValue]
            let position = InMemoryBackend.lowerBound(start, in: rows)
            let end = min(rows.count, position + limit)
            return Array(rows[position..<end])
        }
    }

    var tables: [[RecordEntry]]

    public init() {
        tables = Array(repeating: [], count: RecordTable.allCases.count)
    }

    public mutating func write<Result>(
        _ body: (inout Transaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        var transaction = Transaction(tables: tables)
        let result = try body(&transaction)
        tables = transaction.tables
        return result
    }

    public func read<Result>(
        _ body: (inout Transaction) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        var transaction = Transaction(tables: tables)
        return try body(&transaction)
    }

    /// Entries in `table` (for tests and status).
    public func count(of table: RecordTable) -> Int { tables[table.rawValue].count }

    /// The same refusal as LMDB's, so that both backends fail alike.
    static func checkKey(_ key: [UInt8]) throws(StorageError) {
        if key.isEmpty || key.count > StorageLimits.lmdbMaximumKeyBytes { throw .keyTooLarge(key.count) }
    }

    /// The first position whose key is not less than `key`.
    static func lowerBound(_ key: [UInt8], in rows: [RecordEntry]) -> Int {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = low + (high - low) / 2
            if ByteOrder.isLess(rows[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// memcmp order of byte strings (a proper prefix sorts first), the order of LMDB's keys.
enum ByteOrder {
    static func isLess(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        let common = min(left.count, right.count)
        var index = 0
        while index < common {
            if left[index] != right[index] { return left[index] < right[index] }
            index += 1
        }
        return left.count < right.count
    }
}
