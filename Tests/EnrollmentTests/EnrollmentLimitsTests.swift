import Crypto
import Enrollment
import HTTP
import Testing

@Suite struct EnrollmentLimitsTests {
    @Test func relations() {
        // A form with the largest CSR, a password and a user name fits the body limit.
        #expect(CryptoLimits.maximumCSRBytes * 2 + EnrollmentLimits.maximumPasswordBytes + 4 * HTTPLimits.maximumPartHeaderBytes
            < HTTPLimits.maximumBodyBytes)
        #expect(EnrollmentPolicy().maxNodeIdsPerRequest <= CryptoLimits.maximumNodeIdsPerCertificate)
        #expect(EnrollmentLimits.maximumPasswordBytes <= CryptoLimits.maximumPasswordBytes)
        #expect(EnrollmentLimits.maximumRandomDraws >= 2)
    }
}
