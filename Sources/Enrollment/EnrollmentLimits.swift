/// Limits of the Enrollment module, in one place. EnrollmentLimitsTests checks the relations
/// between them and the limits of Crypto and HTTP.
public enum EnrollmentLimits {
    // MARK: The enrollment form (RFC 6940 §11.3; the HTTP and multipart limits are HTTPLimits')

    public static let maximumPasswordBytes = 1024
    public static let maximumUserNameBytes = 64

    // MARK: Accounts, ledger and rate limits

    public static let maximumAccounts = 10_000
    public static let maximumAccountsFileBytes = 4 * 1024 * 1024
    public static let maximumLedgerRecords = 100_000
    public static let maximumLedgerLineBytes = 4096
    /// The ledger file as read at once (lines are far shorter than maximumLedgerLineBytes).
    public static let maximumLedgerFileBytes = maximumLedgerRecords * (maximumLedgerLineBytes / 8)
    /// Keys and certificates of the CA directory (a few hundred bytes each).
    public static let maximumKeyOrCertificateBytes = 16 * 1024
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
