import Wire

/// mbedTLS's DTLS timer pair (mbedtls_ssl_set_timer_t / mbedtls_ssl_get_timer_t) as deadlines
/// on the session's clock. mbedTLS sets it when it sends a flight; the session's `tick(now)`
/// lets mbedTLS look at it, and mbedTLS retransmits when the final deadline has passed
/// (RFC 6347 §4.2.4). No clock is read: "now" is the instant of the current call.
struct RetransmissionTimer {
    private(set) var intermediate: Instant? = nil
    /// When the current flight is due for retransmission; nil when no timer runs.
    private(set) var final: Instant? = nil

    /// mbedtls_ssl_set_timer_t: final 0 cancels.
    mutating func set(now: Instant, intermediateMilliseconds: UInt32, finalMilliseconds: UInt32) {
        if finalMilliseconds == 0 {
            intermediate = nil
            final = nil
            return
        }
        intermediate = now.adding(milliseconds: UInt64(intermediateMilliseconds))
        final = now.adding(milliseconds: UInt64(finalMilliseconds))
    }

    /// mbedtls_ssl_get_timer_t: -1 cancelled, 0 none passed, 1 intermediate passed, 2 final passed.
    func status(now: Instant) -> Int32 {
        guard let final else { return -1 }
        if now >= final { return 2 }
        if let intermediate, now >= intermediate { return 1 }
        return 0
    }

    mutating func cancel() {
        intermediate = nil
        final = nil
    }
}
