import Chord
import Crypto
import Reload
import Wire

// Requests of the local user (the control socket: `p2psip ping`, `route-query`, `probe`).
// Each returns a handle at once; the result arrives later as `.completed(handle, result)`.
extension OverlayNode {
    public func ping(_ destination: Destination, now: NodeTime) -> (RequestHandle, [NodeAction]) {
        return local(destination, body: .pingRequest(PingReq()), now: now)
    }

    public func routeQuery(_ destination: Destination, now: NodeTime) -> (RequestHandle, [NodeAction]) {
        if topology.firstHop(toward: destination) == nil && phase == .joined {
            // We would handle it ourselves: that is the answer.
            let handle = newHandle()
            outbox.append(.completed(handle, .routeQuery(responder: nodeId, nextPeer: nodeId)))
            return (handle, drain())
        }
        let query = RouteQueryReq(sendUpdate: false, destination: destination)
        return local(destination, body: .routeQueryRequest(query), now: now)
    }

    public func probe(_ destination: Destination, now: NodeTime) -> (RequestHandle, [NodeAction]) {
        let request = ProbeReq(requestedInfo: [.responsibleSet, .numResources, .uptime])
        return local(destination, body: .probeRequest(request), now: now)
    }

    func local(
        _ destination: Destination, body: MessageBody, now: NodeTime, certificates: [[UInt8]] = []
    ) -> (RequestHandle, [NodeAction]) {
        let handle = newHandle()
        if startRequest(to: [destination], body: body, purpose: .local(handle), now: now, certificates: certificates) == nil {
            outbox.append(.completed(handle, .failed("too many requests in flight")))
        }
        return (handle, drain())
    }

    func newHandle() -> RequestHandle {
        defer { nextHandle += 1 }
        return RequestHandle(value: nextHandle)
    }

    func completeLocal(_ handle: RequestHandle, pending: TransactionTable.Pending, body: MessageBody, responder: NodeId, now: NodeTime) {
        let roundTrip = now.monotonic.milliseconds(since: pending.started)
        switch body {
        case .pingAnswer(let pong):
            outbox.append(.completed(handle, .pong(responder: responder, roundTripMilliseconds: roundTrip, time: WallTime(millisecondsSince1970: pong.time))))
        case .routeQueryAnswer(let answer):
            outbox.append(.completed(handle, .routeQuery(responder: responder, nextPeer: answer.nextPeer)))
        case .probeAnswer(let answer):
            outbox.append(.completed(handle, .probe(responder: responder, information: answer.probeInfo)))
        case .storeAnswer(let answer):
            outbox.append(.completed(handle, .stored(responder: responder, answer: answer)))
        case .fetchAnswer(let answer) where fetches[handle] != nil:
            fetchAnswered(handle, answer, responder: responder, now: now)
        case .statAnswer(let answer):
            outbox.append(.completed(handle, .statted(responder: responder, answer: answer)))
        case .findAnswer(let answer):
            outbox.append(.completed(handle, .found(responder: responder, answer: answer)))
        case .appAttachAnswer(let answer):
            let addresses = OverlayNode.appAttachAddresses(answer)
            outbox.append(.completed(handle, .appAttached(responder: responder, application: answer.application, addresses: addresses)))
        default:
            outbox.append(.completed(handle, .failed("unexpected answer \(body.code.rfcName)")))
        }
    }
}
