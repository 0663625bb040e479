import CPosix
import Wire

/// The clocks. Only Platform reads them; everything above gets the time as an argument.
public enum Clock {
    /// CLOCK_MONOTONIC: never jumps, for deadlines and timeouts.
    public static func monotonicNow() -> Instant {
        var spec = timespec()
        let code = clock_gettime(CLOCK_MONOTONIC, &spec)
        precondition(code == 0, "clock_gettime(CLOCK_MONOTONIC) cannot fail on Linux")
        return Instant(nanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
    }

    /// CLOCK_REALTIME to the millisecond: RELOAD's storage_time and PingAns time (RFC 6940
    /// §6.5.3, §7), certificate validity, SIP registrations, the CA's ledger and rate limits.
    public static func wallNow() -> WallTime {
        var spec = timespec()
        let code = clock_gettime(CLOCK_REALTIME, &spec)
        precondition(code == 0, "clock_gettime(CLOCK_REALTIME) cannot fail on Linux")
        return WallTime(millisecondsSince1970: UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000)
    }
}
