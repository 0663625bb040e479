/// Unsigned decimal numbers as text protocols and files write them ("1*DIGIT"): the one
/// reader of them for the modules that parse text (HTTP, Config, Enrollment).
public enum DecimalDigits {
    /// The value of 1 to `maximumDigits` ASCII digits, no sign; nil for anything else.
    /// `maximumDigits` is at most 18, so the value fits Int64 (also on 32-bit boards).
    public static func value<C: Collection>(_ digits: C, maximumDigits: Int) -> Int64? where C.Element == UInt8 {
        precondition(maximumDigits >= 1 && maximumDigits <= 18, "18 digits fit Int64")
        guard !digits.isEmpty, digits.count <= maximumDigits else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int64(digit - 0x30)
        }
        return value
    }
}
