import Crypto
import Enrollment
import Testing

@Suite struct EnrollmentLimitsTests {
    @Test func relations() {
        // A form with the largest CSR, a password and a user name fits the body limit.
        #expect(CryptoLimits.maximumCSRBytes * 2 + EnrollmentLimits.maximumPasswordBytes + 4 * EnrollmentLimits.maximumPartHeaderBytes
            < EnrollmentLimits.maximumBodyBytes)
        #expect(EnrollmentLimits.maximumBodyBytes == 64 * 1024)
        #expect(EnrollmentPolicy().maxNodeIdsPerRequest <= CryptoLimits.maximumNodeIdsPerCertificate)
        #expect(EnrollmentLimits.maximumPasswordBytes <= CryptoLimits.maximumPasswordBytes)
        #expect(EnrollmentLimits.maximumBoundaryBytes == 70)
        #expect(EnrollmentLimits.maximumRandomDraws >= 2)
    }
}
