import Chord
import Reload
import Storage
import Wire

/// The certificate store usage of one node (RFC 6940 §8): when its own certificate is stored
/// next under CERTIFICATE_BY_NODE and CERTIFICATE_BY_USER, and the certificates it is looking up for messages and
/// fetched values whose signer's certificate did not come with them.
struct CertificateProgress {
    /// When our certificate is stored next: soon after joining, then before its lifetime ends,
    /// sooner after a failure.
    var nextPublication: Instant?
    /// A publication Store is in flight.
    var publishing = false
    /// The Store of the publication under way or next (an index into
    /// CertificateService.publicationKinds): a failed one is where the retry starts.
    var publicationStage = 0
    var publicationFailures = 0
    /// Node-IDs whose CERTIFICATE_BY_NODE is being fetched.
    var lookups: Set<NodeId> = []
    /// Requests that arrived without their signer's certificate, waiting for a lookup of
    /// their originator's (each delivered once more when it ends).
    var parked: [ParkedMessage] = []

    static let firstRetryMilliseconds: UInt64 = 2_000
    static let maximumRetryMilliseconds: UInt64 = 60_000

    var retryMilliseconds: UInt64 {
        let doublings = UInt64(min(publicationFailures, 8))
        return min(CertificateProgress.firstRetryMilliseconds << doublings, CertificateProgress.maximumRetryMilliseconds)
    }
}
