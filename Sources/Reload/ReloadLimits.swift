/// Our bounds on everything a peer decodes, in one place. The RFC bounds every
/// list only by its length field (often 2^16-1 or 2^32-1 bytes); these counts keep the work and
/// memory of one decode small and predictable on a router. A list with more elements is a
/// typed error (`WireError.countOverLimit`), on decoding and on encoding alike, so that what we
/// encode we can always decode. `ReloadLimitsTests` checks the relations between them.
public enum ReloadLimits: Sendable {
    /// Entries of a via list or a destination list (§6.3.2.2).
    public static let destinations = 32
    /// Forwarding options in one header (§6.3.2.3).
    public static let forwardingOptions = 16
    /// Message extensions in one MessageContents (§6.3.3).
    public static let messageExtensions = 16
    /// Certificates in one SecurityBlock (§6.3.4).
    public static let certificates = 8
    /// ICE candidates in one Attach or AppAttach (§6.5.1.1).
    public static let iceCandidates = 32
    /// IceExtension entries of one candidate (§6.5.1.1).
    public static let iceExtensions = 16
    /// ProbeInformation entries (§6.4.2.5).
    public static let probeInformation = 32
    /// Kinds in one Store/Fetch/Stat/Find request or answer, and in an Error_Unknown_Kind list.
    public static let kindsPerMessage = 32
    /// StoredData (or StoredMetaData) values of one kind in one message (§7.4).
    public static let valuesPerKind = 256
    /// ArrayRange entries of one StoredDataSpecifier (§7.4.2.1).
    public static let arrayRanges = 64
    /// DictionaryKey entries of one StoredDataSpecifier (§7.4.2.1).
    public static let dictionaryKeys = 64
    /// Node-IDs in one list: replicas (§7.4.1.2), Chord predecessors/successors/fingers (§10.7;
    /// a finger table may grow to 128 entries, §10.7.4.3).
    public static let nodeIds = 128
    /// KindDescription entries of one ConfigUpdateReq (§6.5.4.1).
    public static let kindDescriptions = 64
    /// Kinds a KindTable can know (IANA kinds plus those of the configuration's kind-blocks).
    public static let knownKinds = 64
    /// The largest max-message-size a configuration may set: a data frame carries at most
    /// 2^24-1 bytes (§6.6.2) and a fragment offset has 24 bits (§6.7).
    public static let maxMessageSizeCeiling = (1 << 24) - 1
    /// Messages being reassembled at once (§6.7 asks for a bound on buffer space).
    public static let reassemblyBuffers = 16
    /// Bytes held by all reassembly buffers together.
    public static let reassemblyBytes = 256 * 1024
    /// Fragments of one message held for reassembly.
    public static let fragmentsPerMessage = 64
}
