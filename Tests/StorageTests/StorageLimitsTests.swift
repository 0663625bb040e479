import Config
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

    /// The configuration's kinds: known names map to their IANA ids; what cannot be enforced
    /// stays unknown.
    @Test func kindsFromConfiguration() {
        let definitions = [
            KindDefinition(identifier: .name("SIP-REGISTRATION"), dataModel: .dictionary, accessControl: .userNodeMatch, maxCount: 2, maxSize: 100),
            KindDefinition(identifier: .name("TURN-SERVICE"), dataModel: .single, accessControl: .nodeMultiple, maxCount: 1, maxSize: 30, maxNodeMultiple: 20),
            KindDefinition(identifier: .id(0xF0F0), dataModel: .array, accessControl: .userNodeMatch, maxCount: 1, maxSize: 1),
            KindDefinition(identifier: .name("NO-SUCH-KIND"), dataModel: .array, accessControl: .userMatch, maxCount: 1, maxSize: 1),
            KindDefinition(identifier: .id(0xF0F1), dataModel: .array, accessControl: .other("USER-CHAIN-ACL"), maxCount: 1, maxSize: 1),
        ]
        let (kinds, skipped) = StorageKinds.configured(definitions)
        #expect(kinds.kind(.sipRegistration)?.maxCount == 2)
        #expect(kinds.kind(.turnService)?.policy == .nodeMultiple(maximum: 20))
        #expect(kinds.kind(.certificateByUser)?.policy == .userMatch)
        #expect(kinds.kind(.certificateByNode)?.model == .array)
        #expect(skipped.count == 3 && kinds.kind(KindId(0xF0F0)) == nil)
        #expect(kinds.codecKinds.dataModel(of: .turnService) == .singleValue)
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
