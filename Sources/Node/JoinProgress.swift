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
