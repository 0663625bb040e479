import Wire

/// RFC 3339 date-times in UTC, as the expiration attribute carries them (RFC 6940 §11.1: "All
/// times MUST conform to the Internet date/time format defined in [RFC3339] and be specified
/// using UTC").
public enum InternetTime {
    /// "2002-10-10T07:00:00Z" (or with "+00:00", fractional seconds dropped) in Unix seconds;
    /// nil for anything else, other offsets included.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] | 0x20 == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19])
        else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > start else { return nil }
        }
        let zone = Array(bytes[index...])
        guard zone == [UInt8(ascii: "Z")] || zone == [UInt8(ascii: "z")] || zone == Array("+00:00".utf8)
            || zone == Array("-00:00".utf8)
        else { return nil }
        let time = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        guard time.isValid, second <= 60 else { return nil }
        return time.unixSeconds
    }

    /// "YYYY-MM-DDThh:mm:ssZ".
    public static func format(_ unixSeconds: Int64) -> String {
        return CivilTime(unixSeconds: unixSeconds).description
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }
}
