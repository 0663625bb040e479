/// Limits of the Enrollment module, in one place. EnrollmentLimitsTests checks the relations
/// between them and the limits of Crypto.
public enum EnrollmentLimits {
    // MARK: HTTP/1.1 request (RFC 9112)

    /// Request line, "POST /enroll HTTP/1.1"; a longer one is answered 414.
    public static let maximumRequestLineBytes = 2048
    /// Header fields after the request line, CRLFs included; more is answered 431.
    public static let maximumHeaderSectionBytes = 8192
    public static let maximumHeaderFields = 32
    /// Request body; more is answered 413 (a CSR is under 2 KB, the form around it is small).
    public static let maximumBodyBytes = 64 * 1024

    // MARK: multipart/form-data (RFC 7578)

    public static let maximumFormParts = 8
    public static let maximumPartHeaderBytes = 1024
    public static let maximumPartHeaderFields = 8
    public static let maximumFormNameBytes = 64
    /// RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
    public static let maximumBoundaryBytes = 70
    public static let maximumPasswordBytes = 1024
    public static let maximumUserNameBytes = 64

    // MARK: Accounts, ledger and rate limits

    public static let maximumAccounts = 10_000
    public static let maximumAccountsFileBytes = 4 * 1024 * 1024
    public static let maximumLedgerRecords = 100_000
    public static let maximumLedgerLineBytes = 4096
    /// Entries of the rate-limit tables keyed by network input (source addresses, names that
    /// are not accounts); when full of active buckets, requests of new keys are refused (fail
    /// closed) until buckets refill. The table of existing accounts holds maximumAccounts.
    public static let rateLimiterCapacity = 4096
    /// How far notBefore of an issued certificate lies before `now`, for clock skew.
    public static let notBeforeBackdateSeconds: Int64 = 300
    /// Attempts to draw a random Node-ID or serial that is new (a collision of 128 random
    /// bits never happens; the bound keeps a broken generator from spinning).
    public static let maximumRandomDraws = 16
}
