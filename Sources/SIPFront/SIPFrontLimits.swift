/// Limits of the SIP front, in one place. Spec constants are apart from our own
/// limits; SIPFrontLimitsTests checks the relations between them.
public enum SIPFrontLimits {
    // MARK: Spec constants

    /// RFC 3261 §17.1.1.1: T1 = 500 ms; 64*T1 (32 s) is how long an unreliable-transport
    /// transaction lives: Timer B and F for a client, H and J for a server (§17, table 4).
    public static let transactionSeconds: Int64 = 32
    /// RFC 3261 §16.6 step 11: Timer C of a proxy "MUST be set for an INVITE ... greater
    /// than 3 minutes".
    public static let inviteTimeoutSeconds: Int64 = 181
    /// RFC 3261 §10.2.1.1 / §10.3 step 7: "if neither mechanism for expressing a suggested
    /// expiration time is present in a REGISTER, the client is indicating its desire for the
    /// server to choose"; the RFC's usual default is 3600 seconds.
    public static let defaultExpiresSeconds: UInt32 = 3600
    /// RFC 3261 §8.1.1.6: the Max-Forwards a request gets when it has none.
    public static let defaultMaxForwards = 70
    /// RFC 7904 §5.1: the AppAttach "application" of SIP.
    public static let sipApplication: UInt16 = 5060

    // MARK: Implementation limits

    /// The shortest registration we keep (sent as Min-Expires in a 423, RFC 3261 §10.3 step 7):
    /// every refresh costs a signed Store in the overlay.
    public static let minimumExpiresSeconds: UInt32 = 60
    /// The longest registration we grant (a shorter one is granted in the 200's Contact).
    public static let maximumExpiresSeconds: UInt32 = 7200
    /// Bindings (contacts) over all addresses of record of this front.
    public static let defaultRegistrationCapacity = 64
    /// Contacts of one address of record at this front.
    public static let contactsPerAddressOfRecord = 4
    /// Local SIP accounts.
    public static let accountCapacity = 64
    /// Proxy transactions (forwarded requests and the lookups they wait for).
    public static let defaultTransactionCapacity = 128
    /// Requests we answered ourselves, kept so that a retransmission gets the same answer
    /// (RFC 3261 §17.2.2: a server transaction absorbs retransmissions for Timer J).
    public static let defaultAnsweredCapacity = 128
    /// REGISTERs waiting for their Store in the overlay.
    public static let pendingStoreCapacity = 32
    /// How long a Store may take before the phone is answered 503 (it has given up by then).
    public static let storeTimeoutSeconds: Int64 = 32
    /// RFC 7904 §4.2 step 2 repeats the Fetch for an AOR a registration points to; at most
    /// this many times for one request (a loop of forwardings ends here).
    public static let maximumDereferences = 3
    /// Digest failures per source, and per user name, before it is blocked; how fast one
    /// failure decays once the penalty is over; the first penalty and its cap (each failure
    /// beyond the allowed ones doubles it: FailureRateLimiter).
    public static let allowedRegisterFailures = 5
    public static let registerFailureDecaySeconds: Int64 = 60
    public static let basePenaltySeconds: Int64 = 2
    public static let maximumPenaltySeconds: Int64 = 900
    /// Sources whose REGISTER failures are counted.
    public static let failureTableCapacity = 256
    /// User names (known or not: the same table for both, RFC 3261 §26.3.2.4 without
    /// telling which accounts exist) whose REGISTER failures are counted.
    public static let userFailureTableCapacity = 256
    /// Per-source token buckets (board keys sip-register-rate, sip-register-burst,
    /// sip-request-rate, sip-request-burst, sip-sources): REGISTERs, and INVITEs and other
    /// requests outside a dialog, a source may send a minute and at once. A phone sends two
    /// REGISTERs (challenge, answer) per refresh and a few calls a minute at most.
    public static let defaultRegisterRatePerMinute = 20
    public static let defaultRegisterBurst = 10
    public static let defaultRequestRatePerMinute = 60
    public static let defaultRequestBurst = 20
    /// Sources with a token bucket (each kind); at the limit full buckets go first, then the
    /// least recently used one.
    public static let defaultSourceTableCapacity = 256
    public static let ratePerMinuteRange: ClosedRange<Int> = 1...6000
    public static let burstRange: ClosedRange<Int> = 1...1000
    public static let sourceTableCapacityRange: ClosedRange<Int> = 16...65536
    /// Route values we walk past while looking for the next hop (each is ours or the next).
    public static let maximumRouteValues = 16
}
