import Reload
import Testing

/// Relations between the RFC's constants and our limits.
@Suite struct ReloadLimitsTests {
    @Test func relations() {
        // A whole default-size message can be framed (§6.6.2) and addressed by 24-bit offsets (§6.7).
        #expect(ReloadConstants.defaultMaxMessageSize <= ReloadLimits.maxMessageSizeCeiling)
        #expect(ReloadLimits.maxMessageSizeCeiling <= ReloadConstants.maxFramedMessageBytes)
        #expect(ReloadLimits.maxMessageSizeCeiling <= Int(ReloadConstants.fragmentOffsetMask))
        // Reassembly can hold at least one message of the default size, several in fact.
        #expect(ReloadLimits.reassemblyBytes >= 4 * ReloadConstants.defaultMaxMessageSize)
        #expect(ReloadLimits.fragmentsPerMessage * ReloadConstants.minimumFragmentPayloadBytes >= ReloadConstants.defaultMaxMessageSize)
        // A full Chord finger table (up to 128 entries, §10.7.4.3) fits a Node-ID list.
        #expect(ReloadLimits.nodeIds >= 128)
        // Every kind the IANA table knows fits the kind table, with room for kind-blocks.
        #expect(KindTable.iana.entries.count < ReloadLimits.knownKinds)
        // The fragment bits partition the field.
        #expect(ReloadConstants.fragmentHighBit | ReloadConstants.fragmentLastBit | ReloadConstants.fragmentReservedBits
            | ReloadConstants.fragmentOffsetMask == 0xFFFF_FFFF)
        #expect(ReloadConstants.fragmentHighBit & ReloadConstants.fragmentLastBit == 0)
        #expect(ReloadConstants.unfragmented == ReloadConstants.fragmentHighBit | ReloadConstants.fragmentLastBit)
        #expect(ReloadConstants.nodeIdLengthRange.contains(ReloadConstants.defaultNodeIdLength))
        // A FindReq's KindId<0..2^8-1> holds 63 kinds; our limit is below.
        #expect(ReloadLimits.kindsPerMessage * 4 <= 255)
    }
}
