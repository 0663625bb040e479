import Crypto
import Testing

/// Relations the limits must keep.
@Suite struct CryptoLimitsTests {
    @Test func relations() {
        #expect(CryptoLimits.nodeIdLengthRange == 16...20)
        #expect(CryptoLimits.issuedSerialNumberBytes <= CryptoLimits.maximumSerialNumberBytes)
        #expect(CryptoLimits.passwordIterationRange.contains(CryptoLimits.defaultPasswordIterations))
        #expect(CryptoLimits.maximumNodeIdsPerCertificate + 1 <= Certificate.maximumSubjectAltNames)
        // A full CRL of the largest serials fits the CRL size limit.
        let entryBytes = 2 + (2 + CryptoLimits.maximumSerialNumberBytes + 1) + 17
        #expect(CryptoLimits.maximumRevokedCertificates * entryBytes + 1024 <= CryptoLimits.maximumRevocationListBytes)
        #expect(CryptoLimits.maximumWorkBits < 64)
        #expect(CryptoLimits.verificationCacheCapacity > 0)
    }
}
