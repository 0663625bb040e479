import Crypto
import Wire

/// How long what the certificate authority makes is valid (RFC 5280 §4.1.2.5 validity).
public enum CAValidity {
    /// Certificates end before 2038: armv7 boards have a 32-bit time_t (mbedTLS checks times
    /// with it during TLS handshakes).
    public static let latestNotAfter = CivilTime(year: 2037, month: 12, day: 31, hour: 23, minute: 59, second: 59)
    /// Clock skew allowance: certificates are valid from five minutes ago.
    public static let backdateSeconds: Int64 = 300
    /// A revocation list's nextUpdate (RFC 5280 §5.1.2.5), unless the operator says otherwise.
    public static let revocationListDays: Int64 = 30

    /// The certificate time of `time` (to the second), never later than `latestNotAfter`.
    public static func certificateTime(_ time: WallTime) -> CertificateTime {
        return min(time.civilTime, latestNotAfter)
    }
}
