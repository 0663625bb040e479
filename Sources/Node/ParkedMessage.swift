import Chord
import Reload
import Wire

/// A request kept while its signer's certificate is looked up (§8); bounded by
/// `NodeConfiguration.maximumParkedMessages`.
struct ParkedMessage {
    let bytes: [UInt8]
    let header: ForwardingHeader
    let headerLength: Int
    let from: NodeId
    let link: LinkId
    /// The originator, whose CERTIFICATE_BY_NODE is fetched.
    let awaited: NodeId
}
