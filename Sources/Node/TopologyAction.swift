import Chord
import Crypto
import Reload
import Wire

/// What the topology part asks the node to do, in order: the node signs and tracks the
/// requests (Transactions), answers the request being handled, and passes the rest to its
/// runner.
enum TopologyAction: Equatable {
    /// A request of ours (§6.2.1: signed, retransmitted until answered).
    case request(TopologyRequest)
    /// The answer to the request being handled (§6.2.2).
    case answer(MessageBody)
    /// An error answer to the request being handled (§6.3.3.1).
    case refuse(ErrorCode, String)
    /// Open a link to `address`; its certificate must carry `expectedNodeId` (§6.5.1.11).
    case connect(IpAddressPort, expectedNodeId: NodeId?)
    case close(LinkId)
    case note(Note)
    /// In the ring (first node, or admitted, §10.5 step 8): storage and certificate duties
    /// start.
    case joined
    /// Our Attaches to this node are given up (§6.5.1.2 glare): their transactions go.
    case forgetAttaches(to: NodeId)
}

/// A request the topology part originates.
struct TopologyRequest: Equatable {
    let destination: [Destination]
    let body: MessageBody
    let purpose: TransactionTable.Purpose
    /// Sent on this link rather than routed (a joining node's first request goes to its
    /// bootstrap link, §11.4).
    var firstLink: LinkId? = nil
}
