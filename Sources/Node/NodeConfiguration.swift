import Chord
import Crypto
import Reload
import Signing
import Storage
import Wire

/// What one peer needs to know to take part in an overlay: overlay-wide parameters (from the
/// configuration document, RFC 6940 §11.1) and this board's table sizes (board config).
public struct NodeConfiguration: Sendable {
    /// The overlay's instance-name; its SHA-1 gives the header's overlay field (§6.3.2).
    public var overlayName: String
    public var configurationSequence: UInt16 = 0
    /// §11.1 initial-ttl.
    public var initialTTL: UInt8 = ReloadConstants.defaultInitialTTL
    /// §11.1 max-message-size.
    public var maxMessageSize: Int = ReloadConstants.defaultMaxMessageSize
    /// §11.1 overlay-reliability-timer: end-to-end retransmission interval (§6.2.1), ≥ 200 ms.
    public var reliabilityTimerMilliseconds: UInt64 = 3000
    /// §6.2.1: at most 5 transmissions of a request.
    public var maximumTransmissions = 5
    /// §10.7.4.1 chord-update-interval (seconds in the document; milliseconds here).
    public var updateIntervalMilliseconds: UInt64 = 600_000
    /// §10.7.4.2 chord-ping-interval: finger refresh at most this often.
    public var fingerRefreshIntervalMilliseconds: UInt64 = 3_600_000
    /// §10.7.1 "connectivity pings": a neighbor not heard from for this long is pinged, so
    /// that the link layer notices a dead neighbor even when nothing else is sent to it.
    public var livenessIntervalMilliseconds: UInt64 = 15_000
    /// §11.1 chord-reactive: send Updates as soon as the neighbor table changes.
    public var reactiveRecovery = true
    /// Board: routing table sizes.
    public var successors = 3
    public var predecessors = 3
    public var fingers = 16
    /// Board: the Sybil limit (RFC 6940 §13.6.1): neighbor entries, and apart finger entries,
    /// the nodes of one user may take (`ChordTable.slotsPerOwner`; self-signed: of one key).
    public var routingSlotsPerUser = 2
    public var replicationFactor = 3
    /// Board: links (the connection table) and requests in flight.
    public var maximumLinks = 64
    public var maximumTransactions = 256
    /// §6.2.1: answers are kept this long so a retransmitted request gets the same answer.
    public var answerCacheMilliseconds: UInt64 = 15_000
    public var maximumCachedAnswers = 512
    /// §6.4.2.1: a node that may start the overlay alone when no bootstrap node answers.
    public var mayStartOverlay = false
    /// How long a join attempt may take before it starts over.
    public var joinTimeoutMilliseconds: UInt64 = 30_000
    /// How long an answered Attach waits for the link to come up.
    public var attachLinkTimeoutMilliseconds: UInt64 = 10_000

    /// The kinds this overlay stores (§7.4.5: built-in and the configuration's kind-blocks);
    /// the codec decodes their values with these data models.
    public var kinds: StorageKinds = .builtin
    /// §13.5.2 and the board's max-records.
    public var storageQuota = StorageQuota(recordsPerUser: 1000, bytesPerUser: 1 << 20, recordsPerPeer: 100_000)
    /// How often the records are looked after when nothing else is pending: ring changes
    /// (hand-off, §10.7.3) and expiry (§7). While a hand-off is under way, every tenth of it.
    public var storageMaintenanceIntervalMilliseconds: UInt64 = 2_000
    /// Values one hand-off StoreReq carries at most (one batch per maintenance step).
    public var handoffBatchValues = 32
    /// Hand-offs waiting (ranges to send to one peer each); more ring changes coalesce.
    public var maximumHandoffJobs = 16
    /// A hand-off or replica Store whose target has no link yet, was refused (other than
    /// Error_Data_Too_Old: the values are there) or did not answer is sent again later: after
    /// `handoffRetryMilliseconds`, doubling up to `maximumHandoffRetryMilliseconds`, at most
    /// `maximumHandoffAttempts` times, while the target still needs it. Right after a ring
    /// change the target may not know yet that we are its predecessor or successor: it learns
    /// from Updates, up to a liveness interval and the retransmissions later (§10.7.1).
    public var handoffRetryMilliseconds: UInt64 = 2_000
    public var maximumHandoffRetryMilliseconds: UInt64 = 30_000
    public var maximumHandoffAttempts = 10
    /// Once the ring has not changed for this long, every neighbor gets its part of our
    /// records once more: hand-offs sent while views still differed may have been refused,
    /// or given up when the target stopped being a neighbor for a moment (§10.7.3).
    public var storageResyncMilliseconds: UInt64 = 5_000
    /// Records purged or removed per maintenance step.
    public var storageSliceRecords = 256
    /// Verified certificates kept to check stored values (§6.3.4) and to hand to fetchers.
    public var maximumCachedCertificates = 64
    /// §8: our certificate is stored under CERTIFICATE_BY_NODE with this lifetime once we
    /// joined, and stored again when half of it has passed.
    public var certificateLifetimeSeconds: UInt32 = 86_400
    /// How long after joining the first certificate Store goes out (the ring settles first).
    public var certificatePublicationDelayMilliseconds: UInt64 = 2_000
    /// CERTIFICATE_BY_NODE lookups in flight at once (for messages and values whose signer's
    /// certificate did not come with them, §6.3.4, §8).
    public var maximumCertificateLookups = 16
    /// Requests waiting for such a lookup; more are dropped (counted).
    public var maximumParkedMessages = 16
    /// A local Fetch asks at most this many peers: the responsible one, then its successors
    /// (the replicas, §10.4) when its answer fails verification (§7.4.2.2) or it fails.
    public var maximumFetchAttempts = 3
    /// Connects one requester's Attaches and AppAttaches may make this node open (§6.5.1.13):
    /// a burst, then so many a minute; requesters remembered at most (ConnectPolicy).
    public var connectsPerMinute = 30
    public var connectBurst = 20
    public var maximumConnectRequesters = 256
    /// Requests from other nodes for this node, admitted before their signature is verified
    /// (RequestAdmission): so many a minute after a burst, per link (board request-rate,
    /// request-burst) and per user of the link's certificate, all its links together (board
    /// user-request-rate, user-request-burst). The defaults let a 5-peer `storage-bench` with
    /// 64 Stores in flight through one link pass (about 45 a second, bursts of 64).
    public var requestsPerMinute = 6000
    public var requestBurst = 200
    public var userRequestsPerMinute = 6000
    public var userRequestBurst = 400
    /// Primary Stores (replica_number 0) one user (`VerifiedIdentity.owner` of the request's
    /// signer, whatever the path) may make at this node, checked after the signature
    /// (RequestAdmission): so many a minute after a burst (board store-rate, store-burst).
    /// Each Store is a committed write and two replica Stores, the dearest request there is;
    /// one enrolled user cannot take the overlay's write capacity from the others. A phone
    /// stores once per registration refresh; 60 at once covers a `storage-bench` user's 50.
    public var storesPerMinute = 60
    public var storeBurst = 60
    /// Message signature verifications a second (the last second, board
    /// verify-budget-per-second) above which new requests from others are refused; 1.5-2.7 ms
    /// of CPU each, so 200 is about half a core of a Cortex-A53.
    public var verificationsPerSecond = 200
    /// Refusals answered per link: each costs a signature, so beyond these a refused request
    /// is dropped (counted); generous, so that an honest requester is told rather than left
    /// to retransmit (100 a second after 1000 at once, TokenBucketTable's largest).
    public var refusalAnswersPerMinute = TokenBucketTable.maximumRatePerMinute
    public var refusalAnswerBurst = TokenBucketTable.maximumBurst
    /// Kinds whose negative answer (a FetchAns without a value) is believed from the
    /// responsible peer alone; for every other kind it is confirmed by a replica first (a
    /// responsible peer that lies could otherwise hide a record: §13.5.4, "bad storing peers").
    public var unconfirmedNegativeKinds: Set<KindId> = []
    /// Misbehaviour scores and temporary bans (Misbehaviour).
    public var misbehaviour = MisbehaviourLimits()
    #if P2PSIP_TEST_MODES
    /// Test builds only: misbehaviour to show (TestMisbehaviour).
    public var testMisbehaviour: TestMisbehaviour? = nil
    #endif

    public init(overlayName: String) {
        self.overlayName = overlayName
    }

    public var overlayHash: UInt32 { ForwardingHeader.overlayHash(name: overlayName) }

    /// CHORD-RELOAD uses 128-bit Node-IDs (§10.2).
    public static let nodeIdLength = 16

    public var codec: CodecConfiguration {
        CodecConfiguration(nodeIdLength: NodeConfiguration.nodeIdLength, maxMessageSize: maxMessageSize, kinds: kinds.codecKinds)
    }
}
