/// A reading of the UTC wall clock, in milliseconds since 1970-01-01T00:00:00Z (CLOCK_REALTIME;
/// no leap seconds, as Unix counts). The one wall-clock type of p2psip: storage times and
/// expiry (RFC 6940 §7 counts storage_time in milliseconds since 1970), certificate validity,
/// Digest nonce timestamps, registrations, rate limits and the CA's ledger. Deadlines and
/// timeouts that need no calendar use the monotonic `Instant` instead. Protocol code never
/// reads a clock: it gets a `WallTime` as an argument (Platform's `Clock.wallNow()` on a board,
/// the simulator's clock in tests).
///
/// Times before 1970 are not representable: a reading or a sum that would fall before it is
/// 1970 itself, one past the far end is the far end (saturating, like `Instant`).
public struct WallTime: Comparable, Hashable, Sendable {
    public var millisecondsSince1970: UInt64

    public init(millisecondsSince1970: UInt64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The time `secondsSince1970` (a negative count reads as 1970 itself).
    public init(secondsSince1970: Int64) {
        let (product, overflow) = UInt64(max(secondsSince1970, 0)).multipliedReportingOverflow(by: 1000)
        self.init(millisecondsSince1970: overflow ? UInt64.max : product)
    }

    /// The time of a calendar reading (to the second; one before 1970 reads as 1970).
    public init(_ civil: CivilTime) {
        self.init(secondsSince1970: civil.unixSeconds)
    }

    /// 1970-01-01T00:00:00Z.
    public static let epoch = WallTime(millisecondsSince1970: 0)

    public static func < (lhs: WallTime, rhs: WallTime) -> Bool { lhs.millisecondsSince1970 < rhs.millisecondsSince1970 }

    /// Whole seconds since 1970, rounded down (the unit of X.509, RFC 3339 and SIP).
    public var secondsSince1970: Int64 { Int64(millisecondsSince1970 / 1000) }

    /// The calendar reading of this time, to the second (for certificates and RFC 3339).
    public var civilTime: CivilTime { CivilTime(unixSeconds: secondsSince1970) }

    /// This time plus `milliseconds` (which may be negative), saturating at 1970 and at the
    /// far future.
    public func adding(milliseconds: Int64) -> WallTime {
        return moved(by: milliseconds.magnitude, forward: milliseconds >= 0)
    }

    /// This time plus `seconds` (which may be negative), saturating like `adding(milliseconds:)`.
    public func adding(seconds: Int64) -> WallTime {
        let (product, overflow) = seconds.magnitude.multipliedReportingOverflow(by: 1000)
        return moved(by: overflow ? UInt64.max : product, forward: seconds >= 0)
    }

    func moved(by milliseconds: UInt64, forward: Bool) -> WallTime {
        if forward {
            let (sum, overflow) = millisecondsSince1970.addingReportingOverflow(milliseconds)
            return WallTime(millisecondsSince1970: overflow ? UInt64.max : sum)
        }
        return WallTime(millisecondsSince1970: millisecondsSince1970 > milliseconds ? millisecondsSince1970 - milliseconds : 0)
    }

    /// Whole milliseconds from `earlier` to this time, 0 if `earlier` is later.
    public func milliseconds(since earlier: WallTime) -> UInt64 {
        return millisecondsSince1970 > earlier.millisecondsSince1970 ? millisecondsSince1970 - earlier.millisecondsSince1970 : 0
    }

    /// Whole seconds from `earlier` to this time (rounded down), 0 if `earlier` is later.
    public func seconds(since earlier: WallTime) -> Int64 {
        return Int64(milliseconds(since: earlier) / 1000)
    }
}
