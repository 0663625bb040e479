import Chord
import Crypto
import Reload
import Wire

/// A link to another node, as numbered by whoever runs the Node (the peer process or the
/// simulator). The Node never sees addresses of established links, only these numbers and
/// the identity proven on each link.
public typealias LinkId = Int

/// What the Node asks its runner to do. The Node does no I/O: it returns these.
public enum NodeAction: Equatable, Sendable {
    /// Send a whole RELOAD message over an established link.
    case send(message: [UInt8], link: LinkId)
    /// Open a link (DTLS) to `address`; the certificate on the other end must carry
    /// `expectedNodeId` when one is given (RFC 6940 §6.5.1.11, No-ICE).
    case connect(address: IpAddressPort, expectedNodeId: NodeId?)
    /// We answered an AppAttach (RFC 6940 §6.5.2): open a DTLS connection for `application`
    /// to `address`, as its client (§6.5.1.13); the certificate on the other end must carry
    /// `peer`, the requester (§6.5.1.11). The connection carries the application, not RELOAD.
    case openAppLink(application: UInt16, peer: NodeId, address: IpAddressPort)
    /// Close a link (the peer left or misbehaved).
    case close(link: LinkId)
    /// A line for the log.
    case log(level: LogLevel, text: String)
    /// A local request finished (ping, route query, ...).
    case completed(RequestHandle, RequestResult)
}

public enum LogLevel: Int, Comparable, Sendable {
    case error = 0, warn, info, debug
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A local request started with `OverlayNode.ping` and the like.
public struct RequestHandle: Hashable, Sendable {
    public let value: UInt64
}

/// How a local request ended.
public enum RequestResult: Equatable, Sendable {
    /// `time` is the responder's wall clock (PingAns time, §6.5.3).
    case pong(responder: NodeId, roundTripMilliseconds: UInt64, time: WallTime)
    case routeQuery(responder: NodeId, nextPeer: NodeId)
    case probe(responder: NodeId, information: [ProbeInformation])
    /// The responsible peer stored the values (§7.4.1.2); the answer lists the replicas.
    case stored(responder: NodeId, answer: StoreAns)
    /// The values that passed verification (§7.4.2.2), from `responder`; `dropped` values of
    /// that answer failed it; `asked` peers were asked (the responsible one, then replicas).
    case fetched(responder: NodeId, answer: FetchAns, dropped: Int, asked: Int)
    case statted(responder: NodeId, answer: StatAns)
    case found(responder: NodeId, answer: FindAns)
    /// `responder` answered our AppAttach (§6.5.2.2) with these No-ICE addresses; it opens
    /// the DTLS connection to us next (§6.5.1.13).
    case appAttached(responder: NodeId, application: UInt16, addresses: [IpAddressPort])
    /// The destination answered with an error response (§6.3.3.1).
    case error(ErrorCode, String)
    /// No answer after every retransmission (§6.2.1), or no route.
    case failed(String)
}
