import Chord
import Crypto
import Reload
import Testing
@testable import Storage

/// Replica hand-off enumeration by Node-ID interval (§10.4, §10.5, §10.7.3), the FetchAns
/// verification of the requesting side (§7.4.2.2), and the backends' own properties.
@Suite struct HandoffTests {
    let fixture = StorageFixture.shared

    @Test(arguments: BackendKind.allCases) func intervalEnumerationAndRemoval(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let alice = fixture.alice, bob = fixture.bob
        let resources = [alice.userResource, alice.nodeResource, bob.userResource, bob.nodeResource]
        for (user, resource, kind) in [(alice, alice.userResource, KindId.certificateByUser), (alice, alice.nodeResource, .certificateByNode),
                                       (bob, bob.userResource, .certificateByUser), (bob, bob.nodeResource, .certificateByNode)] {
            let values = try (0..<3).map { index in
                try fixture.signed(user, resource, kind, .array(ArrayEntry(index: UInt32(index), value: DataValue(value: [UInt8(index)]))), lifetime: 100)
            }
            try store.store(resource, [StoreKindData(kind: kind, generationCounter: 0, values: values)], by: user)
        }
        let points = resources.map { RingId(bytes: $0.bytes)! }.sorted()
        // (p0, p2]: the resources at p1 and p2, 6 values.
        var batches: [HandoffBatch] = []
        var cursor: HandoffCursor? = nil
        repeat {
            let batch = try store.handoff(after: points[0], through: points[2], cursor: cursor, maximumValues: 4)
            #expect(batch.valueCount <= 4)
            batches.append(batch)
            cursor = batch.next
        } while cursor != nil && batches.count < 10
        let groups = batches.flatMap { $0.groups }
        #expect(Set(groups.map { RingId(bytes: $0.resource.bytes)! }) == [points[1], points[2]])
        #expect(batches.reduce(0) { $0 + $1.valueCount } == 6)
        let first = try #require(groups.first?.kindData.first)
        #expect(first.generationCounter == 1 && first.values.values?.first?.lifetime == 100)
        // A wrapping interval (p2, p0]: p3 and p0.
        let wrapped = try store.handoff(after: points[2], through: points[0], cursor: nil, maximumValues: 100)
        #expect(Set(wrapped.groups.map { RingId(bytes: $0.resource.bytes)! }) == [points[3], points[0]] && wrapped.next == nil)
        // The whole ring.
        #expect(try store.handoff(after: points[1], through: points[1], cursor: nil, maximumValues: 100).valueCount == 12)
        // A hand-off Store is accepted by another peer as a replica.
        let other = try TestStore(backend)
        for group in groups { try other.store(group.resource, group.storeRequest(replicaNumber: 1).kindData, by: bob, replica: 1) }
        #expect(try other.totalUsage().records == 6)
        // Delete after hand-off: only the interval goes.
        #expect(try store.removeRecords(after: points[0], through: points[2], limit: 4) == 4)
        #expect(try store.removeRecords(after: points[0], through: points[2], limit: 4) == 2)
        #expect(try store.totalUsage().records == 6)
        #expect(try store.handoff(after: points[0], through: points[2], cursor: nil, maximumValues: 100).groups.isEmpty)
    }

    /// §7.4.2.2: the requesting side drops values that fail and says why; synthesized
    /// nonexistent values stay.
    @Test func fetchAnswerVerification() throws {
        let alice = fixture.alice, bob = fixture.bob
        let resource = alice.userResource
        let good = try fixture.signed(alice, resource, .certificateByUser, .array(ArrayEntry(index: 0, value: DataValue(value: [1]))))
        var tampered = good
        tampered.value = .array(ArrayEntry(index: 1, value: DataValue(value: [2])))
        let bobs = try fixture.signed(bob, resource, .certificateByUser, .array(ArrayEntry(index: 2, value: DataValue(value: [3]))))
        let expired = try fixture.signed(fixture.expired, resource, .certificateByUser, .array(ArrayEntry(index: 3, value: DataValue(value: [4]))))
        let gap = StoredData(storageTime: 0, lifetime: 0, value: .array(ArrayEntry(index: 4, value: .nonexistent)), signature: .synthesized)
        let fake = StoredData(storageTime: 0, lifetime: 0, value: .array(ArrayEntry(index: 5, value: DataValue(value: [6]))), signature: .synthesized)
        let answer = FetchAns(kindResponses: [
            FetchKindResponse(kind: .certificateByUser, generation: 3, values: [good, tampered, bobs, expired, gap, fake]),
            FetchKindResponse(kind: KindId(0x5555), generation: 1, values: .unknown([1, 2, 3])),
        ])
        var resolver = fixture.resolver()
        let result = FetchVerification.verify(answer, resource: resource, kinds: TestKinds.table, nodeIdLength: 16, resolver: &resolver, now: fixture.now)
        #expect(result.answer.kindResponses[0].values.values == [good, gap])
        #expect(result.answer.kindResponses[0].generation == 3)
        #expect(result.drops.map { $0.reason } == [.invalidSignature, .notPermitted, .certificateNotValid, .unsignedValue, .unknownKind])
        #expect(result.drops.map { $0.position } == [1, 2, 3, 5, 0] && result.dropCount == 5)
        var nobody = SignerTable()
        let unknown = FetchVerification.verify(answer, resource: resource, kinds: TestKinds.table, nodeIdLength: 16, resolver: &nobody, now: fixture.now)
        #expect(unknown.drops.first?.reason == .unknownSigner)
    }

    /// Records written to LMDB are there after reopening (§7: records survive restart).
    @Test func lmdbReopenPersists() throws {
        let store = try TestStore(.lmdb)
        let alice = fixture.alice
        let value = try fixture.signed(alice, alice.userResource, .certificateByUser, .array(ArrayEntry(index: 0, value: DataValue(value: [1]))))
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [value])])
        let path = try #require(store.directory).path
        let reopened = DataStore(backend: try LMDBBackend(directory: path, mapSizeBytes: 8 << 20, sync: .everyCommit),
                                 kinds: TestKinds.table, quota: TestStore.quota, nodeIdLength: 16)
        let answer = try reopened.fetch(FetchReq(resource: alice.userResource, specifiers: [
            StoredDataSpecifier(kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0)]))
        ]), now: fixture.now)
        #expect(answer.kindResponses[0].values.values == [value] && answer.kindResponses[0].generation == 1)
        #expect(try reopened.usage(userName: alice.name).records == 1)
    }

    /// A write transaction that throws leaves nothing, on both backends.
    @Test(arguments: BackendKind.allCases) func abortedTransactionLeavesNothing(backend: BackendKind) throws {
        func attempt<Backend: RecordBackend>(_ backend: inout Backend) throws -> Int {
            #expect(throws: StorageError.keyTooLarge(0)) {
                try backend.write { (transaction: inout Backend.Transaction) throws(StorageError) in
                    try transaction.put([1], for: [1], in: .records)
                    try transaction.put([2], for: [], in: .records)
                }
            }
            return try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> Int in
                try transaction.entries(in: .records, from: [], limit: 10).count
            }
        }
        switch backend {
        case .memory:
            var memory = InMemoryBackend()
            #expect(try attempt(&memory) == 0)
        case .lmdb:
            let store = try TestStore(.lmdb)
            if case .lmdb(let inner) = store.store {
                var copy = inner.backend
                #expect(try attempt(&copy) == 0)
            }
        }
    }

    /// Range reads return keys in memcmp order from the start key, the same on both.
    @Test(arguments: BackendKind.allCases) func rangeReadsAgree(backend: BackendKind) throws {
        func exercise<Backend: RecordBackend>(_ backend: inout Backend) throws -> [[UInt8]] {
            try backend.write { (transaction: inout Backend.Transaction) throws(StorageError) in
                for key: [UInt8] in [[3], [1, 0], [1], [2, 255], [2]] { try transaction.put(key, for: key, in: .usage) }
                try transaction.delete([2], in: .usage)
            }
            return try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> [[UInt8]] in
                try transaction.entries(in: .usage, from: [1, 0], limit: 2).map { $0.key } + transaction.entries(in: .usage, from: [], limit: 10).map { $0.key }
            }
        }
        let expected: [[UInt8]] = [[1, 0], [2, 255], [1], [1, 0], [2, 255], [3]]
        switch backend {
        case .memory:
            var memory = InMemoryBackend()
            #expect(try exercise(&memory) == expected)
        case .lmdb:
            let store = try TestStore(.lmdb)
            if case .lmdb(let inner) = store.store {
                var copy = inner.backend
                #expect(try exercise(&copy) == expected)
            }
        }
    }
}
