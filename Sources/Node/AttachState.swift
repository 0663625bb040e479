import Chord
import Crypto
import Reload
import Wire

/// Attaches in progress (RFC 6940 §6.5.1, No-ICE §6.5.1.11). The Attach answerer is "active":
/// it opens the DTLS link to the requester's candidate; the requester waits for that link and
/// checks that its certificate belongs to the node that answered. Bounded: entries come from
/// Attaches of ours (the transaction table's bound) and from those we answered while `count`
/// was below max-links; `retry` holds at most `maximumRetries`.
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
