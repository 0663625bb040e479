import Config
import Enrollment
import Reload
import Storage
import Testing

@Suite struct StorageKindsConfigurationTests {
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
}
