import HTTP
import Testing

@Suite struct HTTPLimitsTests {
    @Test func values() {
        #expect(HTTPLimits.maximumBodyBytes == 64 * 1024)
        // RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
        #expect(HTTPLimits.maximumBoundaryBytes == 70)
        #expect(HTTPLimits.maximumPartHeaderBytes * HTTPLimits.maximumFormParts < HTTPLimits.maximumBodyBytes)
    }
}
