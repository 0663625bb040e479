import Reload

/// Every bound of the record store in one place. Spec constants come from
/// RFC 6940; the others are ours, chosen so that one request does bounded work and every LMDB
/// key stays under LMDB's 511-byte key limit (StorageLimitsTests checks the relations).
public enum StorageLimits: Sendable {
    // MARK: RFC 6940

    /// §7.4.1.1: a store at this array index appends.
    public static let appendIndex: UInt32 = ArrayEntry.appendIndex
    /// §7.4.2.1: an ArrayRange bound naming the last element of the array.
    public static let lastArrayIndex: UInt32 = 0xFFFF_FFFF

    // MARK: Ours

    /// Longest Resource-ID we store (CHORD-RELOAD uses 16 bytes; Node-IDs are at most 20).
    public static let maximumResourceIdBytes = 64
    /// Longest dictionary key we store (SIP-REGISTRATION keys are Node-IDs of 16-20 bytes).
    public static let maximumDictionaryKeyBytes = 255
    /// Longest user name a quota is kept for (the usage table's key).
    public static let maximumUserNameBytes = 255
    /// Largest max-size a kind may have, whatever the configuration says.
    public static let maximumValueBytes = 1 << 20
    /// Largest max-count a kind may have.
    public static let maximumValuesPerResource = 100_000
    /// Values in one kind of a Fetch or Stat answer (what the codec can carry), synthesized
    /// gaps of a sparse array included; more is Error_Response_Too_Large.
    public static let valuesPerAnswer = ReloadLimits.valuesPerKind
    /// CERTIFICATE_BY_USER values of one user name read to find the keys bound to it
    /// (UserNameBinding): §8's migration needs two (old and new), the built-in max-count is 16.
    public static let userNameBindingCertificates = 16
    /// Records removed by one `purgeExpired` call at most (one LMDB write transaction).
    public static let purgeSlice = 1024
    /// Values in one hand-off batch at most (one StoreReq's kind may carry `valuesPerKind`).
    public static let handoffBatchValues = ReloadLimits.valuesPerKind
    /// Records one hand-off or delete call examines at most (records outside the interval
    /// included), so a call never walks the whole store.
    public static let scanSlice = 4096
    /// Entries one cursor read fetches from a backend table at once.
    public static let cursorChunk = 64
    /// NODE-MULTIPLE (§7.3.4): largest i we iterate; i is one byte (TurnServer.iteration, §9).
    public static let maximumNodeMultiple = 255
    /// Kinds the storage kind table holds (the codec's KindTable has the same bound).
    public static let kinds = ReloadLimits.knownKinds
    /// Certificates one record refers to: its signer's, and the one a CERTIFICATE_BY_NODE/USER
    /// value holds (§8).
    public static let certificateKeysPerRecord = 2
    /// Largest certificate kept in the certificate table (CERTIFICATE_BY_* values are at most
    /// their kind's max-size; a signer's certificate came in a message).
    public static let maximumCertificateBytes = 8192
    /// How far the storer's clock may be from ours (RFC 6940 §7: storage_time is the storer's
    /// clock, and "the protocol does not require synchronized clocks"; NTP keeps boards within
    /// a second, five minutes is the usual tolerance of time-checked credentials). A value
    /// whose storage_time + lifetime is more than this in the past has expired whoever's clock
    /// is right, and one whose storage_time is more than this in the future is no clock
    /// reading at all: both are refused (StorePlanner.checkTimes). Also the longest a value
    /// may outlive, by a wrong clock, the expiry its owner chose.
    public static let clockSkewAllowanceMilliseconds: Int64 = 300_000
    /// Dropped values one FetchAns verification reports at most (the rest are only counted).
    public static let reportedDrops = 64

    /// The longest record key: resource (with its length byte), kind, slot tag, slot.
    public static let maximumRecordKeyBytes = 1 + maximumResourceIdBytes + 4 + 1 + maximumDictionaryKeyBytes
    /// LMDB's default maximum key size (mdb_env_get_maxkeysize).
    public static let lmdbMaximumKeyBytes = 511
}
