import Crypto
import Reload
import Testing
import Wire
@testable import Storage

/// Each check of a Store at the storing peer (RFC 6940 §7.4.1.1, §7.3), asserting the RFC
/// error code, on both backends.
@Suite struct StoreCheckTests {
    let fixture = StorageFixture.shared
    var alice: TestUser { fixture.alice }
    var bob: TestUser { fixture.bob }

    func certificate(_ user: TestUser, _ kind: KindId = .certificateByUser, index: UInt32 = StorageLimits.appendIndex,
                     resource: ResourceId? = nil, storageTime: UInt64? = nil) throws -> StoredData {
        let at = resource ?? user.userResource
        return try fixture.signed(user, at, kind, .array(ArrayEntry(index: index, value: DataValue(value: user.der))),
                                  storageTime: storageTime)
    }

    @Test(arguments: BackendKind.allCases) func ownerStoreSucceeds(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let answer = try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)])])
        #expect(answer == StoreAns(kindResponses: [StoreKindResponse(kind: .certificateByUser, generationCounter: 1, replicas: [])]))
    }

    /// §7.4.1.2: Error_Unknown_Kind lists every unknown kind in error_info.
    @Test(arguments: BackendKind.allCases) func unknownKindsAreListed(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let refusal = store.refusal(alice.userResource, [
            StoreKindData(kind: KindId(0x7777), generationCounter: 0, values: .unknown([])),
            StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)]),
            StoreKindData(kind: KindId(0x8888), generationCounter: 0, values: .unknown([1, 2])),
        ])
        #expect(refusal?.errorCode == .unknownKind)
        let response = try #require(refusal).errorResponse()
        #expect(response.info == [8, 0, 0, 0x77, 0x77, 0, 0, 0x88, 0x88])
        #expect(try store.fetchAll(alice.userResource, .certificateByUser, model: .array).values.values?.isEmpty == true)
    }

    @Test(arguments: BackendKind.allCases) func kindTwiceIsInvalid(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let data = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)])
        #expect(store.refusal(alice.userResource, [data, data])?.errorCode == .invalidMessage)
    }

    /// §7.4.1.2, §13.5.2: max-size and max-count.
    @Test(arguments: BackendKind.allCases) func sizeAndCountLimits(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let resource = alice.userResource
        func small(_ bytes: Int, at index: UInt32 = StorageLimits.appendIndex, time: UInt64? = nil) throws -> StoredData {
            try fixture.signed(alice, resource, TestKinds.small, .array(ArrayEntry(index: index, value: DataValue(value: [UInt8](repeating: 1, count: bytes)))), storageTime: time)
        }
        #expect(store.refusal(resource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: [try small(33)])])?.errorCode == .dataTooLarge)
        let four = try (0..<4).map { _ in try small(1) }
        #expect(store.refusal(resource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: four)])?.errorCode == .dataTooLarge)
        try store.store(resource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: Array(four.prefix(3)))])
        // Max-count with what is stored: a fourth value is refused, replacing one is fine.
        #expect(store.refusal(resource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: [try small(1)])])?.errorCode == .dataTooLarge)
        #expect(store.refusal(resource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: [try small(2, at: 1, time: fixture.storageTime + 1)])]) == nil)
    }

    /// Cheap first: a request that is too large and badly signed gets Error_Data_Too_Large.
    @Test(arguments: BackendKind.allCases) func cheapChecksComeFirst(backend: BackendKind) throws {
        let store = try TestStore(backend)
        var value = try fixture.signed(bob, alice.userResource, TestKinds.small, .array(ArrayEntry(index: 0, value: DataValue(value: [UInt8](repeating: 0, count: 40)))))
        value.signature.value[5] ^= 1
        #expect(store.refusal(alice.userResource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: [value])])?.errorCode == .dataTooLarge)
    }

    /// The signer's certificate: unknown to the resolver, or expired (§7.1) → Error_Forbidden.
    @Test(arguments: BackendKind.allCases) func signerCertificateMustBeKnownAndValid(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let carol = fixture.expired
        let expired = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(carol)])
        #expect(store.refusal(carol.userResource, [expired], by: carol) == .forbidden(.certificateByUser, .certificateNotValid))
        store.resolver = SignerTable()  // knows nobody
        let unknown = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)])
        let refusal = store.refusal(alice.userResource, [unknown])
        #expect(refusal == .forbidden(.certificateByUser, .unknownSigner))
        #expect(refusal?.errorCode == .forbidden)
    }

    /// §7.4.1.1: identity none / algorithm {0, 0} only for synthesized values.
    @Test(arguments: BackendKind.allCases) func anonymousValuesAreRefused(backend: BackendKind) throws {
        let store = try TestStore(backend)
        var value = try certificate(alice)
        value.signature = .synthesized
        #expect(store.refusal(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [value])]) == .forbidden(.certificateByUser, .anonymousSignature))
    }

    /// §7.3.1 USER-MATCH, for the value's signer and (original stores) the request's signer.
    @Test(arguments: BackendKind.allCases) func userMatch(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let bobsValue = try certificate(bob, resource: alice.userResource)
        #expect(store.refusal(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [bobsValue])], by: bob) == .forbidden(.certificateByUser, .valueSignerNotPermitted))
        let alicesValue = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)])
        let refusal = store.refusal(alice.userResource, [alicesValue], by: bob)
        #expect(refusal == .forbidden(.certificateByUser, .requestSignerNotPermitted))
        #expect(refusal?.errorCode == .forbidden)
        // A replica from a plausible peer: the request's signer is not held to the policy (§7.3).
        let replica = StoreKindData(kind: .certificateByUser, generationCounter: 4, values: [try certificate(alice)])
        #expect(store.refusal(alice.userResource, [replica], by: bob, replica: 1) == nil)
    }

    /// §7.3.2 NODE-MATCH: H(Node-ID) = Resource-ID.
    @Test(arguments: BackendKind.allCases) func nodeMatch(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let good = StoreKindData(kind: .certificateByNode, generationCounter: 0, values: [try certificate(alice, .certificateByNode, resource: alice.nodeResource)])
        #expect(store.refusal(alice.nodeResource, [good]) == nil)
        let wrong = StoreKindData(kind: .certificateByNode, generationCounter: 0, values: [try certificate(alice, .certificateByNode, resource: alice.userResource)])
        #expect(store.refusal(alice.userResource, [wrong])?.errorCode == .forbidden)
        // A signer that names no single Node-ID cannot satisfy NODE-MATCH.
        let noNode = StorageSigner(identity: alice.identity, nodeId: nil)
        #expect(!AccessControl.permits(.nodeMatch, signer: noNode, resource: alice.nodeResource, value: .single(.nonexistent), nodeIdLength: 16))
    }

    /// §7.3.3 USER-NODE-MATCH (SIP-REGISTRATION, RFC 7904): key = the signer's Node-ID.
    @Test(arguments: BackendKind.allCases) func userNodeMatch(backend: BackendKind) throws {
        let store = try TestStore(backend)
        func registration(key: [UInt8]) throws -> StoreKindData {
            StoreKindData(kind: .sipRegistration, generationCounter: 0, values: [
                try fixture.signed(alice, alice.userResource, .sipRegistration, .dictionary(DictionaryEntry(key: key, value: DataValue(value: [1, 0, 3, 0x61, 0x62, 0x63]))))
            ])
        }
        #expect(store.refusal(alice.userResource, [try registration(key: bob.nodeId)]) == .forbidden(.sipRegistration, .valueSignerNotPermitted))
        #expect(store.refusal(alice.userResource, [try registration(key: alice.nodeId)]) == nil)
    }

    /// §7.3.4 NODE-MULTIPLE: H(Node-ID ‖ i) for i in 1...max (3 for the test kind).
    @Test(arguments: BackendKind.allCases) func nodeMultiple(backend: BackendKind) throws {
        let store = try TestStore(backend)
        func resource(_ i: UInt8) -> ResourceId { ResourceId(bytes: SHA1.hash(alice.nodeId + [i]).prefix(16))! }
        func turn(_ i: UInt8) throws -> StoreKindData {
            StoreKindData(kind: TestKinds.turn, generationCounter: 0, values: [try fixture.signed(alice, resource(i), TestKinds.turn, .single(DataValue(value: [i])))])
        }
        #expect(store.refusal(resource(3), [try turn(3)]) == nil)
        #expect(store.refusal(resource(4), [try turn(4)])?.errorCode == .forbidden)
    }

    /// §7.1: a value whose signature does not verify → Error_Forbidden.
    @Test(arguments: BackendKind.allCases) func invalidValueSignature(backend: BackendKind) throws {
        let store = try TestStore(backend)
        var value = try certificate(alice)
        value.storageTime += 1  // signed over the old storage_time
        #expect(store.refusal(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [value])]) == .forbidden(.certificateByUser, .invalidSignature))
    }

    /// §7, §13.5.3 (stricter): storage_time must be greater than the stored one's.
    @Test(arguments: BackendKind.allCases) func storageTimeMustGrow(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let first = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice, index: 0)])
        try store.store(alice.userResource, [first])
        #expect(store.refusal(alice.userResource, [first])?.errorCode == .dataTooOld)
        let older = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice, index: 0, storageTime: fixture.storageTime - 1)])
        #expect(store.refusal(alice.userResource, [older]) == .dataTooOld(.certificateByUser))
        let newer = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice, index: 0, storageTime: fixture.storageTime + 1)])
        #expect(store.refusal(alice.userResource, [newer]) == nil)
    }

    /// §7.4.1.1/§7.4.1.2: a nonzero generation counter must equal the stored one; the error
    /// carries a StoreAns with the current counters.
    @Test(arguments: BackendKind.allCases) func generationCounters(backend: BackendKind) throws {
        let store = try TestStore(backend)
        func append(_ generation: UInt64) throws -> [StoreKindData] {
            [StoreKindData(kind: .certificateByUser, generationCounter: generation, values: [try certificate(alice)])]
        }
        #expect(try store.store(alice.userResource, try append(0)).kindResponses[0].generationCounter == 1)
        #expect(try store.store(alice.userResource, try append(1)).kindResponses[0].generationCounter == 2)
        let refusal = try #require(store.refusal(alice.userResource, try append(1)))
        #expect(refusal.errorCode == .generationCounterTooLow)
        var reader = ByteReader(refusal.errorResponse().info)
        let info = try StoreAns.decode(from: &reader, CodecConfiguration())
        #expect(info.kindResponses == [StoreKindResponse(kind: .certificateByUser, generationCounter: 2, replicas: [])])
        #expect(store.refusal(alice.userResource, try append(7))?.errorCode == .generationCounterTooLow)
        #expect(try store.fetchAll(alice.userResource, .certificateByUser, model: .array).values.values?.count == 2)
    }

    /// §7.4.1.1, §10.4: replicas need a plausible sender and a nonzero counter, which they keep.
    @Test(arguments: BackendKind.allCases) func replicaStores(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let data = StoreKindData(kind: .certificateByUser, generationCounter: 9, values: [try certificate(alice, index: 0)])
        #expect(store.refusal(alice.userResource, [data], by: bob, replica: 1, plausible: false) == .forbidden(.certificateByUser, .implausibleReplicaSender))
        var zero = data
        zero.generationCounter = 0
        #expect(store.refusal(alice.userResource, [zero], by: bob, replica: 2)?.errorCode == .invalidMessage)
        #expect(try store.store(alice.userResource, [data], by: bob, replica: 1).kindResponses[0].generationCounter == 9)
        #expect(try store.fetchAll(alice.userResource, .certificateByUser, model: .array).generation == 9)
        // A copy (replica or hand-off, §10.7.3) is taken value by value: what is not newer than
        // the stored value is left out, the rest stored; nothing newer at all is Data_Too_Old.
        let mixed = StoreKindData(kind: .certificateByUser, generationCounter: 10, values: [
            try certificate(alice, index: 0), try certificate(alice, index: 1, storageTime: fixture.storageTime + 5),
        ])
        #expect(store.refusal(alice.userResource, [mixed], by: bob, replica: 1) == nil)
        #expect(try store.fetchAll(alice.userResource, .certificateByUser, model: .array).values.values?.count == 2)
        #expect(store.refusal(alice.userResource, [mixed], by: bob, replica: 1)?.errorCode == .dataTooOld)
        // An original store stays all or nothing (§7.4.1.1).
        let original = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [
            try certificate(alice, index: 1, storageTime: fixture.storageTime + 9), try certificate(alice, index: 0),
        ])
        #expect(store.refusal(alice.userResource, [original]) == .dataTooOld(.certificateByUser))
    }

    /// §7.4.1.1: all kinds or none; a failing second kind leaves the first unstored.
    @Test(arguments: BackendKind.allCases) func storeIsAtomic(backend: BackendKind) throws {
        let store = try TestStore(backend)
        var bad = try fixture.signed(alice, alice.userResource, .sipRegistration, .dictionary(DictionaryEntry(key: alice.nodeId, value: DataValue(value: [1]))))
        bad.signature.value[3] ^= 0xFF
        let refusal = store.refusal(alice.userResource, [
            StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)]),
            StoreKindData(kind: .sipRegistration, generationCounter: 0, values: [bad]),
        ])
        #expect(refusal?.errorCode == .forbidden)
        let fetched = try store.fetchAll(alice.userResource, .certificateByUser, model: .array)
        #expect(fetched.values.values?.isEmpty == true && fetched.generation == 0)
        #expect(try store.totalUsage() == RecordUsage())
    }

    /// Per-user quota across resources (Error_Data_Too_Large), replacement not counted twice,
    /// other users unaffected; max-records of the peer.
    @Test(arguments: BackendKind.allCases) func quotas(backend: BackendKind) throws {
        let store = try TestStore(backend, quota: StorageQuota(recordsPerUser: 2, bytesPerUser: 100_000, recordsPerPeer: 3))
        try store.store(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice, index: 0)])])
        try store.store(alice.nodeResource, [StoreKindData(kind: .certificateByNode, generationCounter: 0, values: [try certificate(alice, .certificateByNode, resource: alice.nodeResource)])])
        #expect(try store.usage(alice).records == 2)
        let third = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice, index: 1)])
        let refusal = store.refusal(alice.userResource, [third])
        #expect(refusal == .quotaExceeded && refusal?.errorCode == .dataTooLarge)
        let replace = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice, index: 0, storageTime: fixture.storageTime + 5)])
        #expect(store.refusal(alice.userResource, [replace]) == nil)
        try store.store(bob.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(bob)])], by: bob)
        let full = StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(bob)])
        #expect(store.refusal(bob.userResource, [full], by: bob) == .storeFull)

        let bytes = try TestStore(backend, quota: StorageQuota(recordsPerUser: 10, bytesPerUser: 600, recordsPerPeer: 10))
        #expect(bytes.refusal(alice.userResource, [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [try certificate(alice)])]) == .quotaExceeded)
    }
}
