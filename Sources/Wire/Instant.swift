/// A point on the monotonic clock, in nanoseconds since an arbitrary start (boot). Protocol
/// code never reads a clock: it gets an `Instant` as an argument (time is an
/// argument), from Platform's clock on a board and from the simulator's clock in tests.
public struct Instant: Comparable, Hashable, Sendable {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = Instant(nanoseconds: 0)

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// This instant plus `milliseconds` (saturating at the far future).
    public func adding(milliseconds: UInt64) -> Instant {
        let (product, overflowMultiply) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        let (sum, overflowAdd) = nanoseconds.addingReportingOverflow(product)
        return Instant(nanoseconds: overflowMultiply || overflowAdd ? UInt64.max : sum)
    }

    /// Whole milliseconds from `earlier` to this instant, 0 if `earlier` is later.
    public func milliseconds(since earlier: Instant) -> UInt64 {
        return nanoseconds > earlier.nanoseconds ? (nanoseconds - earlier.nanoseconds) / 1_000_000 : 0
    }

    /// Milliseconds from this instant until `later`, rounded up, 0 if `later` has passed.
    public func millisecondsUntil(_ later: Instant) -> UInt64 {
        guard later.nanoseconds > nanoseconds else { return 0 }
        let difference = later.nanoseconds - nanoseconds
        return difference / 1_000_000 + (difference % 1_000_000 == 0 ? 0 : 1)
    }
}
