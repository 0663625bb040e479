import Chord
import Crypto
import Reload
import Signing
import Testing
@testable import Storage
import Wire

/// Data models, removal, Fetch, Stat, Find, expiry and hand-off (RFC 6940 §7.2, §7.4, §10.4),
/// on both backends.
@Suite struct DataModelTests {
    let fixture = StorageFixture.shared
    var alice: TestUser { fixture.alice }
    var bob: TestUser { fixture.bob }

    func entry(_ bytes: [UInt8], index: UInt32 = StorageLimits.appendIndex, time: UInt64? = nil, lifetime: UInt32 = 3600,
               kind: KindId = .certificateByUser) throws -> StoredData {
        try fixture.signed(alice, alice.userResource, kind, .array(ArrayEntry(index: index, value: DataValue(value: bytes))),
                           storageTime: time, lifetime: lifetime)
    }

    func arrayFetch(_ store: TestStore, _ ranges: [ArrayRange]) throws -> [StoredData] {
        let answer = try store.fetch(FetchReq(resource: alice.userResource, specifiers: [
            StoredDataSpecifier(kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: ranges))
        ]))
        return answer.kindResponses[0].values.values ?? []
    }

    /// §7.4.1.1: index 0xffffffff appends; §7.2.2: sparse arrays synthesize gaps; §7.4.2.2:
    /// the appended value still verifies (index zeroed in the signature).
    @Test(arguments: BackendKind.allCases) func arrayAppendAndRanges(backend: BackendKind) throws {
        let store = try TestStore(backend)
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([1]), try entry([2])])])
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([5], index: 5), try entry([3])])])
        let all = try arrayFetch(store, [ArrayRange(first: 0, last: 0xFFFF_FFFF)])
        #expect(all.map { $0.value } == [
            .array(ArrayEntry(index: 0, value: DataValue(value: [1]))), .array(ArrayEntry(index: 1, value: DataValue(value: [2]))),
            .array(ArrayEntry(index: 2, value: DataValue(value: [3]))), .array(ArrayEntry(index: 3, value: .nonexistent)),
            .array(ArrayEntry(index: 4, value: .nonexistent)), .array(ArrayEntry(index: 5, value: DataValue(value: [5]))),
        ])
        #expect(all[3].signature == .synthesized && all[0].signature.identity == alice.signerIdentity)
        try all[2].verifySignature(resource: alice.userResource, kind: .certificateByUser, publicKey: alice.identity.publicKey)
        let append = try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([6])])])
        #expect(append.kindResponses[0].generationCounter == 3)
        let tail = try arrayFetch(store, [ArrayRange(first: 6, last: 100), ArrayRange(first: 1, last: 1)])
        #expect(tail.map { $0.value.dataValue.value } == [[6], [2]])
        #expect(try arrayFetch(store, [ArrayRange(first: 9, last: 0xFFFF_FFFF)]).isEmpty)
        #expect(throws: StorageRefusal.invalidRequest("array range with first > last")) { try arrayFetch(store, [ArrayRange(first: 3, last: 2)]) }
    }

    /// §7.2.3 dictionaries: listed keys (missing ones synthesized) or all.
    @Test(arguments: BackendKind.allCases) func dictionaryFetch(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let value = try fixture.signed(alice, alice.userResource, .sipRegistration, .dictionary(DictionaryEntry(key: alice.nodeId, value: DataValue(value: [7]))))
        try store.store(alice.userResource, [StoreKindData(kind: .sipRegistration, generationCounter: 0, values: [value])])
        let all = try store.fetchAll(alice.userResource, .sipRegistration, model: .dictionary)
        #expect(all.values.values == [value] && all.generation == 1)
        let answer = try store.fetch(FetchReq(resource: alice.userResource, specifiers: [
            StoredDataSpecifier(kind: .sipRegistration, generation: 0, modelSpecifier: .dictionary(keys: [bob.nodeId, alice.nodeId]))
        ]))
        #expect(answer.kindResponses[0].values.values?.map { $0.value } == [
            .dictionary(DictionaryEntry(key: bob.nodeId, value: .nonexistent)), value.value,
        ])
        // §7.4.2.1: the requester's generation matches → no values.
        #expect(try store.fetchAll(alice.userResource, .sipRegistration, model: .dictionary, generation: 1).values.values == [])
    }

    /// Single values: a missing one is synthesized; unknown kinds are refused with the list.
    @Test(arguments: BackendKind.allCases) func singleValueAndUnknownFetch(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let resource = ResourceId(bytes: SHA1.hash(alice.nodeId + [1]).prefix(16))!
        let missing = try store.fetchAll(resource, TestKinds.turn, model: .singleValue)
        #expect(missing.values.values == [StoredData(storageTime: 0, lifetime: 0, value: .single(.nonexistent), signature: .synthesized)])
        let value = try fixture.signed(alice, resource, TestKinds.turn, .single(DataValue(value: [1, 2])), lifetime: 60)
        try store.store(resource, [StoreKindData(kind: TestKinds.turn, generationCounter: 0, values: [value])])
        let fetched = try store.fetch(FetchReq(resource: resource, specifiers: [
            StoredDataSpecifier(kind: TestKinds.turn, generation: 0, modelSpecifier: .singleValue)
        ]), now: fixture.now.adding(milliseconds: 20_500))
        #expect(fetched.kindResponses[0].values.values?.first?.lifetime == 40)  // what is left, rounded up
        let unknown = StoredDataSpecifier(kind: KindId(0x999), generation: 0, modelSpecifier: .unknown([]))
        #expect(throws: StorageRefusal.unknownKinds([KindId(0x999)])) { try store.fetch(FetchReq(resource: resource, specifiers: [unknown])) }
    }

    /// §7.4.1.3: exists = False removes; the tombstone keeps at least the replaced value's
    /// expiry, so the old value cannot be replayed in; it expires like any value.
    @Test(arguments: BackendKind.allCases) func removalByNonexistentValue(backend: BackendKind) throws {
        let store = try TestStore(backend)
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([1], index: 0, lifetime: 1000)])])
        let tombstone = try fixture.signed(alice, alice.userResource, .certificateByUser, .array(ArrayEntry(index: 0, value: .nonexistent)),
                                           storageTime: fixture.storageTime + 1, lifetime: 10)
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [tombstone])])
        let later = fixture.now.adding(milliseconds: 500_000)
        let fetched = try store.fetch(FetchReq(resource: alice.userResource, specifiers: [
            StoredDataSpecifier(kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0)]))
        ]), now: later)
        let removed = try #require(fetched.kindResponses[0].values.values?.first)
        #expect(removed.value.dataValue.exists == false && removed.signature.identity == alice.signerIdentity && removed.lifetime == 500)
        #expect(store.refusal(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([1], index: 0)])])?.errorCode == .dataTooOld)
        #expect(try store.purgeExpired(now: later, limit: 10) == 0)
        #expect(try store.purgeExpired(now: fixture.now.adding(milliseconds: 1_000_000), limit: 10) == 1)
        #expect(try store.totalUsage() == RecordUsage())
    }

    /// §7: values go when their lifetime ends; purge works in bounded slices, keeps usage and
    /// the kind state right, and expired values are not fetched before the purge.
    @Test(arguments: BackendKind.allCases) func expiryPurge(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let short = try (0..<5).map { index in try entry([UInt8(index)], index: UInt32(index), lifetime: 1) }
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: short + [try entry([9], index: 5, lifetime: 100)])])
        #expect(try store.usage(alice).records == 6)
        let after = fixture.now.adding(milliseconds: 2000)
        #expect(try arrayFetchAt(store, after).map { $0.value.dataValue.exists } == [false, false, false, false, false, true])
        #expect(try store.purgeExpired(now: fixture.now, limit: 10) == 0)
        #expect(try store.purgeExpired(now: after, limit: 3) == 3)
        #expect(try store.purgeExpired(now: after, limit: 3) == 2)
        #expect(try store.purgeExpired(now: after, limit: 3) == 0)
        #expect(try store.usage(alice).records == 1)
        #expect(try store.purgeExpired(now: fixture.now.adding(milliseconds: 200_000), limit: 3) == 1)
        #expect(try store.usage(alice) == RecordUsage() && store.totalUsage() == RecordUsage())
        // The (resource, kind) is gone with its last value.
        #expect(try store.fetchAll(alice.userResource, .certificateByUser, model: .array).generation == 0)
    }

    func arrayFetchAt(_ store: TestStore, _ now: WallTime) throws -> [StoredData] {
        let answer = try store.fetch(FetchReq(resource: alice.userResource, specifiers: [
            StoredDataSpecifier(kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0xFFFF_FFFF)]))
        ]), now: now)
        return answer.kindResponses[0].values.values ?? []
    }

    /// §7.4.3: Stat returns metadata with SHA-256 over the value and its 4 length bytes.
    @Test(arguments: BackendKind.allCases) func statMetadata(backend: BackendKind) throws {
        let store = try TestStore(backend)
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([0xAB, 0xCD], index: 1)])])
        let answer = try store.stat(FetchReq(resource: alice.userResource, specifiers: [
            StoredDataSpecifier(kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 1)]))
        ]))
        let values = try #require(answer.kindResponses[0].values.values)
        #expect(answer.kindResponses[0].generation == 1 && values.count == 2)
        #expect(values[1].metadata == .array(index: 1, MetaData(exists: true, valueLength: 2, hashAlgorithm: .sha256, hashValue: SHA256.hash([0, 0, 0, 2, 0xAB, 0xCD]))))
        #expect(values[1].storageTime == fixture.storageTime)
        #expect(values[0].metadata.metaData.exists == false)
    }

    /// §7.4.4: the closest stored Resource-ID at or after the requested one, round the ring;
    /// 0 for unknown kinds or nothing stored; a kind twice is refused.
    @Test(arguments: BackendKind.allCases) func find(backend: BackendKind) throws {
        let store = try TestStore(backend)
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try entry([1])])])
        try store.store(bob.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [
            try fixture.signed(bob, bob.userResource, .certificateByUser, .array(ArrayEntry(index: 0, value: DataValue(value: [2]))))
        ])], by: bob)
        let ids = [alice.userResource, bob.userResource].sorted { ByteOrder.isLess($0.bytes, $1.bytes) }
        let zero = ResourceId(bytes: [UInt8](repeating: 0, count: 16))!
        let answer = try store.find(FindReq(resource: ids[0], kinds: [.certificateByUser, .certificateByNode, KindId(0x4242)]))
        #expect(answer.results == [
            FindKindData(kind: .certificateByUser, closest: ids[0]), FindKindData(kind: .certificateByNode, closest: zero),
            FindKindData(kind: KindId(0x4242), closest: zero),
        ])
        var after = ids[0].bytes
        after[15] &+= 1
        #expect(try store.find(FindReq(resource: ResourceId(bytes: after)!, kinds: [.certificateByUser])).results[0].closest == ids[1])
        var past = ids[1].bytes
        past[15] &+= 1
        #expect(try store.find(FindReq(resource: ResourceId(bytes: past)!, kinds: [.certificateByUser])).results[0].closest == ids[0])
        #expect(throws: StorageRefusal.self) { try store.find(FindReq(resource: ids[0], kinds: [.certificateByUser, .certificateByUser])) }
    }
}
