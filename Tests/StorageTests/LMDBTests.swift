import Foundation
import Testing
@testable import Storage
import TestSupport

@Suite struct LMDBTests {
    func withDirectory(_ body: (String) throws -> Void) throws {
        try TemporaryDirectory.with("p2psip-lmdb") { try body($0.path) }
    }

    @Test func putGetDeleteAndReopen() throws {
        try withDirectory { path in
            do {
                let environment = try LMDBEnvironment(directory: path, mapSizeBytes: 1 << 20, maximumDatabases: 4, sync: .everyCommit)
                let records = try environment.openDatabase(named: "records")
                try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) in
                    try transaction.put([1, 2, 3], for: [0xAA], in: records)
                    try transaction.put([], for: [0xBB], in: records)
                    try transaction.put([9], for: [0xCC], in: records)
                    #expect(try transaction.delete([0xCC], in: records))
                    #expect(try !transaction.delete([0xDD], in: records))
                }
            }
            let environment = try LMDBEnvironment(directory: path, mapSizeBytes: 1 << 20, maximumDatabases: 4, sync: .periodic)
            let records = try environment.openDatabase(named: "records")
            try environment.read { (transaction: inout LMDBTransaction) throws(StorageError) in
                #expect(try transaction.get([0xAA], in: records) == [1, 2, 3])
                #expect(try transaction.get([0xBB], in: records) == [])
                #expect(try transaction.get([0xCC], in: records) == nil)
                #expect(try transaction.count(in: records) == 2)
            }
            try environment.sync()
        }
    }

    @Test func failingTransactionLeavesNothing() throws {
        try withDirectory { path in
            let environment = try LMDBEnvironment(directory: path, mapSizeBytes: 1 << 20, maximumDatabases: 1, sync: .everyCommit)
            let records = try environment.openDatabase(named: "records")
            #expect(throws: StorageError.keyTooLarge(0)) {
                try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) in
                    try transaction.put([1], for: [1], in: records)
                    try transaction.put([2], for: [], in: records)  // empty key: refused
                }
            }
            let count = try environment.read { (transaction: inout LMDBTransaction) throws(StorageError) in
                try transaction.count(in: records)
            }
            #expect(count == 0)
        }
    }

    @Test func fullMapIsReportedNotFatal() throws {
        try withDirectory { path in
            let environment = try LMDBEnvironment(directory: path, mapSizeBytes: 256 * 1024, maximumDatabases: 1, sync: .periodic)
            let records = try environment.openDatabase(named: "records")
            var stored = 0
            var failure: StorageError? = nil
            for index in 0..<10_000 {
                do throws(StorageError) {
                    try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) in
                        try transaction.put([UInt8](repeating: 7, count: 1000), for: Array("k\(index)".utf8), in: records)
                    }
                    stored += 1
                } catch {
                    failure = error
                    break
                }
            }
            #expect(failure == .mapFull)
            #expect(stored > 10)
            // What was committed before is intact.
            let first = try environment.read { (transaction: inout LMDBTransaction) throws(StorageError) in
                try transaction.get(Array("k0".utf8), in: records)
            }
            #expect(first?.count == 1000)
        }
    }

    @Test func keyLongerThanLMDBAllowsIsATypedError() throws {
        try withDirectory { path in
            let environment = try LMDBEnvironment(directory: path, mapSizeBytes: 1 << 20, maximumDatabases: 1, sync: .everyCommit)
            let records = try environment.openDatabase(named: "records")
            let long = [UInt8](repeating: 1, count: environment.maximumKeyBytes + 1)
            #expect(throws: StorageError.keyTooLarge(long.count)) {
                try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) in
                    try transaction.put([1], for: long, in: records)
                }
            }
        }
    }

    @Test func missingDirectoryIsAClearError() {
        #expect(throws: StorageError.self) {
            _ = try LMDBEnvironment(directory: "/nonexistent/p2psip", mapSizeBytes: 1 << 20, maximumDatabases: 1, sync: .everyCommit)
        }
    }
}
