import Reload
import Testing
@testable import Storage

@Suite struct StorageLimitsTests {
    /// Every key we write fits LMDB's key limit, the expiry key (8 more bytes) included.
    @Test func keysFitLMDB() {
        #expect(StorageLimits.maximumRecordKeyBytes + 8 <= StorageLimits.lmdbMaximumKeyBytes)
        #expect(1 + StorageLimits.maximumUserNameBytes <= StorageLimits.lmdbMaximumKeyBytes)
        #expect(StorageLimits.valuesPerAnswer <= ReloadLimits.valuesPerKind)
        #expect(StorageLimits.handoffBatchValues <= ReloadLimits.valuesPerKind)
        #expect(StorageLimits.maximumNodeMultiple <= Int(UInt8.max))
        let longest = RecordKey(
            resource: ResourceId(bytes: [UInt8](repeating: 1, count: StorageLimits.maximumResourceIdBytes))!, kind: KindId(1),
            slot: .dictionary(key: [UInt8](repeating: 2, count: StorageLimits.maximumDictionaryKeyBytes)))
        #expect(longest.bytes.count == StorageLimits.maximumRecordKeyBytes)
        #expect(RecordKey(bytes: longest.bytes) == longest)
        #expect(RecordKey(bytes: [200]) == nil)
    }

    /// Every refusal maps to the RFC error its check names.
    @Test func refusalCodes() {
        #expect(StorageRefusal.quotaExceeded.errorCode == .dataTooLarge)
        #expect(StorageRefusal.storage(.mapFull).errorCode == .dataTooLarge)
        #expect(StorageRefusal.dataTooOld(KindId(1)).errorCode == .dataTooOld)
        #expect(StorageRefusal.forbidden(KindId(1), .invalidSignature).errorResponse().code == .forbidden)
        #expect(StorageRefusal.unknownKinds([KindId(7)]).errorResponse().info == [4, 0, 0, 0, 7])
    }
}
