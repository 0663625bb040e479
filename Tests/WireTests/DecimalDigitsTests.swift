import Testing
import Wire

/// DecimalDigits: the one reader of "1*DIGIT".
@Suite struct DecimalDigitsTests {
    @Test func digitsWithinTheBoundAreRead() {
        #expect(DecimalDigits.value(Array("0".utf8), maximumDigits: 1) == 0)
        #expect(DecimalDigits.value(Array("0042".utf8), maximumDigits: 4) == 42)
        #expect(DecimalDigits.value(Array("999999999999999999".utf8), maximumDigits: 18) == 999_999_999_999_999_999)
    }

    @Test func anythingElseIsRefused() {
        for text in ["", "-1", "+1", "1 ", " 1", "1a", "12345"] {
            #expect(DecimalDigits.value(Array(text.utf8), maximumDigits: 4) == nil, "\(text)")
        }
    }
}
