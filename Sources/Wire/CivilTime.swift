/// A UTC calendar time to the second, and its conversion to and from seconds since the Unix
/// epoch (proleptic Gregorian calendar, no leap seconds, as X.509 and RFC 3339 count).
///
/// Time is always an argument in p2psip (nothing under Sources reads a clock except Platform);
/// this is the one place that turns "seconds since 1970" into the calendar fields that
/// certificates (RFC 5280 §4.1.2.5) and the overlay configuration (RFC 3339) write, so Crypto
/// and Config agree on them.
public struct CivilTime: Equatable, Comparable, Sendable {
    public var year, month, day, hour, minute, second: Int

    /// Years we accept: X.509 GeneralizedTime and RFC 3339 both allow 0000-9999.
    public static let yearRange = 0...9999

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The calendar time of `unixSeconds` (clamped to the years 0000 to 9999).
    public init(unixSeconds: Int64) {
        let clamped = min(max(unixSeconds, CivilTime.minimumUnixSeconds), CivilTime.maximumUnixSeconds)
        var days = clamped / 86_400
        var rest = clamped % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let date = CivilTime.civil(fromDays: days)
        self.init(year: date.year, month: date.month, day: date.day,
                  hour: Int(rest / 3600), minute: Int(rest % 3600 / 60), second: Int(rest % 60))
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    public var unixSeconds: Int64 {
        let days = CivilTime.days(fromYear: Int64(year), month: Int64(month), day: Int64(day))
        return days * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    }

    /// True when every field is in its calendar range (month 1-12, day within the month,
    /// hour 0-23, minute 0-59, second 0-60 with 60 only as a leap second).
    public var isValid: Bool {
        guard CivilTime.yearRange.contains(year), (1...12).contains(month) else { return false }
        guard day >= 1, day <= CivilTime.daysInMonth(year: year, month: month) else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    public static func < (lhs: CivilTime, rhs: CivilTime) -> Bool {
        return lhs.unixSeconds < rhs.unixSeconds
    }

    /// "2026-11-26T15:29:55Z" (RFC 3339, UTC).
    public var description: String {
        return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))T"
            + "\(digits(hour, 2)):\(digits(minute, 2)):\(digits(second, 2))Z"
    }

    /// `value` in decimal, with leading zeros to `width` digits (for non-negative values).
    public static func zeroPadded(_ value: Int, width: Int) -> String {
        var text = "\(value)"
        while text.utf8.count < width { text = "0" + text }
        return text
    }

    func digits(_ value: Int, _ width: Int) -> String { CivilTime.zeroPadded(value, width: width) }

    static let minimumUnixSeconds: Int64 = -62_167_219_200  // 0000-01-01T00:00:00Z
    static let maximumUnixSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    // Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
    static func days(fromYear inputYear: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? inputYear - 1 : inputYear
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays input: Int64) -> (year: Int, month: Int, day: Int) {
        let days = input + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
