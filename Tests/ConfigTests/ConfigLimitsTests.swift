import Config
import Testing

@Suite struct ConfigLimitsTests {
    @Test func relations() {
        // A document at the limit of root-certs of the largest size still fits.
        #expect(ConfigLimits.maximumRootCertificates * ConfigLimits.maximumTextBytes <= ConfigLimits.maximumDocumentBytes)
        #expect(ConfigLimits.maximumAttributeValueBytes <= ConfigLimits.maximumTextBytes)
        // overlay/configuration/required-kinds/kind-block/kind/max-count plus foreign nesting.
        #expect(ConfigLimits.maximumDepth >= 6)
        #expect(ConfigLimits.maximumKinds * 8 < ConfigLimits.maximumElements)
        #expect(ConfigLimits.nodeIdLengthRange == 16...20)
        #expect(ConfigLimits.sequenceRange.upperBound == 65534)
    }
}
