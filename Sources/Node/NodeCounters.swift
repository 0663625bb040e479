import Chord
import Crypto
import Reload
import Wire

/// What the node has counted since it started: the `counters` of `p2psip status`.
public struct NodeCounters: Equatable, Sendable {
    public var messagesIn = 0
    public var messagesOut = 0
    public var forwarded = 0
    public var requestsAnswered = 0
    public var retransmissions = 0
    public var transactionsFailed = 0
    /// Dropped messages by reason.
    public var droppedMalformed = 0
    public var droppedWrongOverlay = 0
    public var droppedBadSignature = 0
    public var droppedUntrustedSigner = 0
    public var droppedLoop = 0
    public var droppedNoRoute = 0
    public var droppedUnexpectedResponse = 0
    public var droppedOverLimit = 0
    public var droppedNotForUs = 0
    /// Answers to requests for a Resource-ID from a node farther from it than a neighbor we
    /// know (RFC 6940 §6.3.4, check 2): dropped, the request sent again by another path.
    public var droppedNotResponsible = 0
    /// Links and messages of banned nodes refused (Misbehaviour).
    public var droppedBanned = 0
    /// Attaches and AppAttaches refused by the ConnectPolicy: an address we do not connect to
    /// (loopback, multicast, ...), or a requester over its connect budget.
    public var connectsRefusedAddress = 0
    public var connectsRefusedBudget = 0
    /// Requests from other nodes refused before their signature was verified, answered with
    /// Error_Request_Timeout (RequestAdmission): over a budget of their link, of the user of
    /// the link's certificate, or of the link's maintenance...
    public var refusedLinkBudget = 0
    public var refusedUserBudget = 0
    /// Primary Stores refused for their signer's Store budget (after verification).
    public var refusedStoreBudget = 0
    public var refusedMaintenanceBudget = 0
    /// ...or shed under load: the transaction table past its high-water mark, or signature
    /// verifications in the last second past the budget.
    public var shedTransactionTable = 0
    public var shedSignatureLoad = 0
    /// Refused requests not even answered: the link's refusal answers, which cost a
    /// signature each, were over their own budget.
    public var refusalsDropped = 0
    /// Message signatures verified (§6.3.4), whatever the outcome.
    public var signaturesVerified = 0
    /// Stores accepted (primary and replica) and refused with an error (§7.4.1).
    public var storesAccepted = 0
    public var storesRefused = 0
    /// StoreReqs sent to move records when the ring changed (§10.7.3).
    public var handoffStores = 0
    /// Fetched values that failed verification and were discarded (§7.4.2.2).
    public var fetchedValuesDropped = 0
    /// AppAttach requests answered with our candidates (§6.5.2.2).
    public var appAttachesAnswered = 0
    /// Our certificate stored under CERTIFICATE_BY_NODE (§8), and attempts that failed.
    public var certificatePublications = 0
    public var certificatePublicationsFailed = 0
    /// CERTIFICATE_BY_NODE fetched for a signer whose certificate was not at hand (§8), and
    /// certificates learned from them.
    public var certificateLookups = 0
    public var certificatesFound = 0
    /// Error responses sent, by code.
    public var errorsSent: [UInt16: Int] = [:]
    /// Error responses received, by code.
    public var errorsReceived: [UInt16: Int] = [:]

    public init() {}

    mutating func countErrorSent(_ code: ErrorCode) {
        errorsSent[code.rawValue, default: 0] += 1
    }

    mutating func countErrorReceived(_ code: ErrorCode) {
        errorsReceived[code.rawValue, default: 0] += 1
    }
}
