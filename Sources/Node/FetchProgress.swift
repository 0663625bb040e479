import Chord
import Reload
import Storage
import Wire

/// A local Fetch under way: the request, how many peers were asked, the best verified answer
/// so far (the fewest values dropped, §7.4.2.2) and why the last attempt failed.
struct FetchProgress {
    let request: FetchReq
    var asked: Int
    var best: (responder: NodeId, answer: FetchAns, dropped: Int)?
    var lastFailure: RequestResult?
    /// A negative answer was sent to a replica to be confirmed (`unconfirmedNegativeKinds`).
    var confirmingNegative = false
    /// §8: the signers' CERTIFICATE_BY_NODE was looked up once for this fetch; while those
    /// lookups run, the answer that needs them waits here.
    var lookedUpCertificates = false
    var awaitedCertificates: Set<NodeId> = []
    var heldAnswer: (responder: NodeId, answer: FetchAns)?

    init(request: FetchReq, asked: Int, best: (responder: NodeId, answer: FetchAns, dropped: Int)?, lastFailure: RequestResult?) {
        self.request = request
        self.asked = asked
        self.best = best
        self.lastFailure = lastFailure
    }
}
