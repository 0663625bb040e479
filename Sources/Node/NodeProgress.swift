import Chord
import Crypto
import Reload
import Wire

/// Where a join stands (RFC 6940 §10.5, §11.4).
struct JoinProgress {
    /// Start over when the join is not done by then.
    var deadline: Instant?
    /// Index into the bootstrap list of the node being tried.
    var bootstrapIndex = 0
    var bootstrapLink: LinkId?
    /// The peer responsible for our Node-ID + 1: it admits us (§10.5).
    var admittingPeer: NodeId?
    /// Neighbors we attach to before sending the Join (§10.5: "MUST NOT send any Update ...
    /// until it has successfully completed an Attach with each peer that should be in its
    /// Neighbor Table").
    var neighborsPending: Set<NodeId> = []
    var joinSent = false
    /// A failed join starts over at this time, not at once: the backoff doubles with each
    /// failure in a row (bounded), so a node that cannot join does not spin.
    var retryAt: Instant?
    var failuresInARow = 0
    static let firstBackoffMilliseconds: UInt64 = 500
    static let maximumBackoffMilliseconds: UInt64 = 16_000

    /// Forgets the attempt; the bootstrap index and the failure count carry over.
    mutating func reset() {
        let index = bootstrapIndex
        let failures = failuresInARow
        self = JoinProgress()
        bootstrapIndex = index
        failuresInARow = failures
    }

    var backoffMilliseconds: UInt64 {
        let doublings = min(failuresInARow, 16)
        return min(JoinProgress.firstBackoffMilliseconds << UInt64(doublings), JoinProgress.maximumBackoffMilliseconds)
    }
}

/// Attaches in progress (RFC 6940 §6.5.1, No-ICE §6.5.1.11). The Attach answerer is "active":
/// it opens the DTLS link to the requester's candidate; the requester waits for that link and
/// checks that its certificate belongs to the node that answered.
struct AttachState {
    /// Answerer side: links we opened after answering; when one comes up and the request had
    /// send_update set, we send an Update (§6.4.2.3). Value: expiry.
    var sendUpdateOnLink: [NodeId: Instant] = [:]
    /// Requester side: nodes that answered our Attach; their link is expected before expiry.
    var awaitingLink: [NodeId: Instant] = [:]
    /// Nodes we asked to Attach to and have no answer from yet (no duplicate Attaches), with
    /// when we asked.
    var requested: [NodeId: Instant] = [:]
    /// §6.5.1.2 glare: an Attach of ours older than this did not reach the node now attaching
    /// to us (it would have answered or broken the tie within a round trip; it may be a new
    /// instance of a node that crashed), so we give way instead of answering Error_In_Progress.
    static let glareMilliseconds: UInt64 = 2000
    /// Neighbors named in Updates and not linked yet, with the attempts left: tried again on
    /// the liveness tick, because an Attach may be in flight when the name arrives, or may be
    /// answered by another node while routes are still being repaired (§10.7.1).
    var retry: [NodeId: Int] = [:]
    static let maximumRetries = 32
    static let attemptsPerCandidate = 3

    var nextDeadline: Instant? {
        return (Array(sendUpdateOnLink.values) + Array(awaitingLink.values)).min()
    }

    var count: Int { sendUpdateOnLink.count + awaitingLink.count + requested.count }
}

/// The periodic work of a joined peer (RFC 6940 §10.7.4).
struct MaintenanceState {
    /// §10.7.4.1: the next periodic Update to the neighbors.
    var nextUpdate: Instant?
    /// Reactive recovery: an Update to every link, coalescing the changes of one tick.
    var updateFlush: Instant?
    /// §10.7.4.2: the next finger refresh.
    var nextFingerRefresh: Instant?
    /// §10.7.1: the next look for silent neighbors.
    var nextLivenessCheck: Instant?

    func nextDeadline(phase: NodePhase) -> Instant? {
        guard phase == .joined else { return nil }
        return [nextUpdate, updateFlush, nextFingerRefresh, nextLivenessCheck].compactMap { $0 }.min()
    }
}
