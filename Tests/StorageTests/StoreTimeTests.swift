import Chord
import Reload
import Testing
import Wire
@testable import Storage

/// A value's expiry is storage_time + lifetime (RFC 6940 §7, §13.5.3), with
/// `StorageLimits.clockSkewAllowanceMilliseconds` for clocks that disagree: a StoreReq replayed
/// after its value expired stores nothing, a storage_time from the future is refused.
@Suite struct StoreTimeTests {
    let fixture = StorageFixture.shared
    var alice: TestUser { fixture.alice }
    let allowance = StorageLimits.clockSkewAllowanceMilliseconds

    /// alice's user certificate as a CERTIFICATE_BY_USER value at array index 0.
    func request(storageTime: UInt64, lifetime: UInt32) throws -> [StoreKindData] {
        let value = try fixture.signed(
            alice, alice.userResource, .certificateByUser, .array(ArrayEntry(index: 0, value: DataValue(value: alice.der))),
            storageTime: storageTime, lifetime: lifetime)
        return [StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [value])]
    }

    func refusal(_ store: TestStore, _ kindData: [StoreKindData], replica: UInt8 = 0, at now: WallTime) -> StorageRefusal? {
        do throws(StorageRefusal) {
            try store.store(alice.userResource, kindData, by: replica > 0 ? fixture.bob : nil, replica: replica, now: now)
            return nil
        } catch {
            return error
        }
    }

    func values(_ store: TestStore, at now: WallTime) throws -> [StoredData] {
        let specifier = StoredDataSpecifier(kind: .certificateByUser, generation: 0, modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 0)]))
        let answer = try store.fetch(FetchReq(resource: alice.userResource, specifiers: [specifier]), now: now)
        return (answer.kindResponses.first?.values.values ?? []).filter { $0.value.dataValue.exists }
    }

    /// The expiry is storage_time + lifetime, not the receipt time + lifetime.
    @Test(arguments: BackendKind.allCases) func expiryIsStorageTimePlusLifetime(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let storageTime = fixture.now.adding(seconds: -40)
        try store.store(alice.userResource, try request(storageTime: storageTime.millisecondsSince1970, lifetime: 100))
        #expect(try values(store, at: fixture.now).map { $0.lifetime } == [60])
        #expect(try values(store, at: storageTime.adding(milliseconds: 99_999)).count == 1)
        #expect(try values(store, at: storageTime.adding(seconds: 100)).isEmpty)
        #expect(try store.purgeExpired(now: storageTime.adding(milliseconds: 99_999), limit: 10) == 0)
        #expect(try store.purgeExpired(now: storageTime.adding(seconds: 100), limit: 10) == 1)
    }

    /// A captured StoreReq sent again after its value expired (and was purged) stores nothing
    /// and gets Error_Data_Too_Old, at the peer that held it and at any other.
    @Test(arguments: BackendKind.allCases) func replayAfterExpiryStoresNothing(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let captured = try request(storageTime: fixture.storageTime, lifetime: 100)
        try store.store(alice.userResource, captured)
        let later = fixture.now.adding(seconds: 100).adding(milliseconds: allowance)
        #expect(try store.purgeExpired(now: later, limit: 10) == 1)
        let refusal = self.refusal(store, captured, at: later)
        #expect(refusal == .expired(.certificateByUser))
        #expect(refusal?.errorCode == .dataTooOld)
        #expect(try values(store, at: later).isEmpty)
        #expect(try store.totalUsage() == RecordUsage())
        let elsewhere = try TestStore(backend)
        #expect(self.refusal(elsewhere, captured, at: later) == .expired(.certificateByUser))
        // Replayed as a copy (replica_number > 0) it is just as stale.
        var copy = captured
        copy[0].generationCounter = 1
        #expect(self.refusal(elsewhere, copy, replica: 1, at: later) == .expired(.certificateByUser))
        #expect(try elsewhere.totalUsage() == RecordUsage())
    }

    /// Within the clock skew allowance an expiry in the past is still accepted (the storer's
    /// clock may be behind ours); beyond it the value has expired whoever is right.
    @Test(arguments: BackendKind.allCases) func expiredBoundary(backend: BackendKind) throws {
        let expiresJustInside = fixture.now.adding(milliseconds: 1 - allowance)
        let inside = try request(storageTime: expiresJustInside.adding(seconds: -100).millisecondsSince1970, lifetime: 100)
        #expect(refusal(try TestStore(backend), inside, at: fixture.now) == nil)
        let outside = try request(storageTime: expiresJustInside.adding(seconds: -100).millisecondsSince1970 - 1, lifetime: 100)
        #expect(refusal(try TestStore(backend), outside, at: fixture.now) == .expired(.certificateByUser))
    }

    /// A storage_time later than now plus the allowance is refused with Error_Invalid_Message;
    /// up to the allowance it is accepted, and expires at storage_time + lifetime.
    @Test(arguments: BackendKind.allCases) func futureStorageTime(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let beyond = try request(storageTime: fixture.storageTime + UInt64(allowance) + 1, lifetime: 100)
        let refusal = self.refusal(store, beyond, at: fixture.now)
        #expect(refusal == .storageTimeInFuture(.certificateByUser))
        #expect(refusal?.errorCode == .invalidMessage)
        #expect(try store.totalUsage() == RecordUsage())
        let edge = fixture.now.adding(milliseconds: allowance)
        #expect(self.refusal(store, try request(storageTime: edge.millisecondsSince1970, lifetime: 100), at: fixture.now) == nil)
        #expect(try values(store, at: edge.adding(milliseconds: 99_999)).count == 1)
        #expect(try values(store, at: edge.adding(seconds: 100)).isEmpty)
    }

    /// A copy (replica, hand-off) carries the lifetime from storage_time to the expiry here, so
    /// the receiver's expiry is the same however long the value was held before.
    @Test(arguments: BackendKind.allCases) func copiesKeepTheExpiry(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let storageTime = fixture.now.adding(seconds: -3_000)
        try store.store(alice.userResource, try request(storageTime: storageTime.millisecondsSince1970, lifetime: 3_600))
        let point = RingId(bytes: alice.userResource.bytes)!
        let batch = try store.handoff(after: point, through: point, cursor: nil, maximumValues: 10)
        let group = try #require(batch.groups.first)
        #expect(group.kindData.first?.values.values?.first?.lifetime == 3_600)
        let other = try TestStore(backend)
        try other.store(group.resource, group.storeRequest(replicaNumber: 1).kindData, by: fixture.bob, replica: 1)
        #expect(try values(other, at: fixture.now).map { $0.lifetime } == [600])
        #expect(try values(other, at: storageTime.adding(seconds: 3_600)).isEmpty)
    }
}
