import Chord
import Foundation
import Reload
@testable import Storage
import TestSupport
import Wire

/// Which backend a parameterised test runs on: every storage test runs on both.
enum BackendKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, lmdb
    var description: String { rawValue }
}

/// A DataStore over either backend, so one test body serves both (the tests forward here;
/// Sources stay generic).
final class TestStore {
    enum Store {
        case memory(DataStore<InMemoryBackend>)
        case lmdb(DataStore<LMDBBackend>)
    }

    var store: Store
    /// The LMDB backend's directory, removed with the store.
    let scratch: TemporaryDirectory?
    var directory: URL? { scratch?.url }
    let fixture = StorageFixture.shared
    var resolver: SignerTable

    static let quota = StorageQuota(recordsPerUser: 50, bytesPerUser: 64 * 1024, recordsPerPeer: 1000)

    init(_ kind: BackendKind, quota: StorageQuota = TestStore.quota, kinds: StorageKinds = TestKinds.table) throws {
        resolver = StorageFixture.shared.resolver()
        switch kind {
        case .memory:
            scratch = nil
            store = .memory(DataStore(backend: InMemoryBackend(), kinds: kinds, quota: quota, nodeIdLength: 16))
        case .lmdb:
            let scratch = try TemporaryDirectory("p2psip-store")
            self.scratch = scratch
            let backend = try LMDBBackend(directory: scratch.path, mapSizeBytes: 8 << 20, sync: .periodic)
            store = .lmdb(DataStore(backend: backend, kinds: kinds, quota: quota, nodeIdLength: 16))
        }
    }

    /// Stores `kindData` at `resource`, signed (as a message) by `requestSigner` (default: the
    /// first value's signer, alice).
    @discardableResult
    func store(
        _ resource: ResourceId, _ kindData: [StoreKindData], by requestSigner: TestUser? = nil, replica: UInt8 = 0,
        plausible: Bool = true, now: WallTime? = nil
    ) throws(StorageRefusal) -> StoreAns {
        let request = StoreReq(resource: resource, replicaNumber: replica, kindData: kindData)
        let signer = (requestSigner ?? fixture.alice).signer
        let time = now ?? fixture.now
        switch store {
        case .memory(var inner):
            defer { store = .memory(inner) }
            return try inner.store(request, requestSigner: signer, replicaSenderIsPlausible: plausible, resolver: &resolver, now: time)
        case .lmdb(var inner):
            defer { store = .lmdb(inner) }
            return try inner.store(request, requestSigner: signer, replicaSenderIsPlausible: plausible, resolver: &resolver, now: time)
        }
    }

    /// The refusal's error code, or nil when the store succeeded.
    func refusal(
        _ resource: ResourceId, _ kindData: [StoreKindData], by requestSigner: TestUser? = nil, replica: UInt8 = 0,
        plausible: Bool = true
    ) -> StorageRefusal? {
        do throws(StorageRefusal) {
            try store(resource, kindData, by: requestSigner, replica: replica, plausible: plausible)
            return nil
        } catch {
            return error
        }
    }

    func fetch(_ request: FetchReq, now: WallTime? = nil) throws(StorageRefusal) -> FetchAns {
        switch store {
        case .memory(let inner): return try inner.fetch(request, now: now ?? fixture.now)
        case .lmdb(let inner): return try inner.fetch(request, now: now ?? fixture.now)
        }
    }

    func stat(_ request: StatReq) throws(StorageRefusal) -> StatAns {
        switch store {
        case .memory(let inner): return try inner.stat(request, now: fixture.now)
        case .lmdb(let inner): return try inner.stat(request, now: fixture.now)
        }
    }

    func find(_ request: FindReq) throws(StorageRefusal) -> FindAns {
        switch store {
        case .memory(let inner): return try inner.find(request)
        case .lmdb(let inner): return try inner.find(request)
        }
    }

    func purgeExpired(now: WallTime, limit: Int) throws -> Int {
        switch store {
        case .memory(var inner):
            defer { store = .memory(inner) }
            return try inner.purgeExpired(now: now, limit: limit)
        case .lmdb(var inner):
            defer { store = .lmdb(inner) }
            return try inner.purgeExpired(now: now, limit: limit)
        }
    }

    func handoff(
        after start: RingId, through end: RingId, cursor: HandoffCursor?, maximumValues: Int, maximumGroupBytes: Int = Int.max
    ) throws -> HandoffBatch {
        switch store {
        case .memory(let inner):
            return try inner.handoffBatch(
                after: start, through: end, cursor: cursor, maximumValues: maximumValues, maximumGroupBytes: maximumGroupBytes, now: fixture.now)
        case .lmdb(let inner):
            return try inner.handoffBatch(
                after: start, through: end, cursor: cursor, maximumValues: maximumValues, maximumGroupBytes: maximumGroupBytes, now: fixture.now)
        }
    }

    func certificate(for identity: SignerIdentity) throws -> [UInt8]? {
        switch store {
        case .memory(let inner): return try inner.certificate(for: identity)
        case .lmdb(let inner): return try inner.certificate(for: identity)
        }
    }

    /// Rows of the certificate table.
    func certificateRows() throws -> Int {
        switch store {
        case .memory(let inner):
            return try inner.backend.read { (transaction: inout InMemoryBackend.Transaction) throws(StorageError) -> Int in
                try transaction.entries(in: .certificates, from: [], limit: 1000).count
            }
        case .lmdb(let inner):
            return try inner.backend.read { (transaction: inout LMDBBackend.Transaction) throws(StorageError) -> Int in
                try transaction.entries(in: .certificates, from: [], limit: 1000).count
            }
        }
    }

    func removeRecords(after start: RingId, through end: RingId, limit: Int) throws -> Int {
        switch store {
        case .memory(var inner):
            defer { store = .memory(inner) }
            return try inner.removeRecords(after: start, through: end, limit: limit)
        case .lmdb(var inner):
            defer { store = .lmdb(inner) }
            return try inner.removeRecords(after: start, through: end, limit: limit)
        }
    }

    func usage(_ user: TestUser) throws -> RecordUsage {
        switch store {
        case .memory(let inner): return try inner.usage(userName: user.name)
        case .lmdb(let inner): return try inner.usage(userName: user.name)
        }
    }

    func totalUsage() throws -> RecordUsage {
        switch store {
        case .memory(let inner): return try inner.totalUsage()
        case .lmdb(let inner): return try inner.totalUsage()
        }
    }

    // MARK: Conveniences

    func fetchAll(_ resource: ResourceId, _ kind: KindId, model: DataModel, generation: UInt64 = 0) throws -> FetchKindResponse {
        let specifier: StoredDataSpecifier.ModelSpecifier
        switch model {
        case .singleValue: specifier = .singleValue
        case .array: specifier = .array(indices: [ArrayRange(first: 0, last: 0xFFFF_FFFF)])
        case .dictionary: specifier = .dictionary(keys: [])
        }
        let answer = try fetch(FetchReq(resource: resource, specifiers: [
            StoredDataSpecifier(kind: kind, generation: generation, modelSpecifier: specifier)
        ]))
        return answer.kindResponses[0]
    }
}
