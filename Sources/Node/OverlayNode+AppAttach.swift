import Chord
import Crypto
import Reload
import Wire

// AppAttach (RFC 6940 §6.5.2): a direct connection between two nodes for an application
// protocol, such as SIP (RFC 7904 §5.1: application 5060). "AppAttach is nearly identical to
// Attach", so it follows our Attach profile: No-ICE candidates (§6.5.1.11), whose DTLS
// handshake is the connectivity check, and the roles of §6.5.1.13 ("The node that sent the
// Attach request MUST be the TLS server. The other node MUST be the TLS client"): the
// answerer opens the connection (NodeAction.openAppLink) to the requester's candidate, and
// each side checks that the certificate in the handshake carries the other's Node-ID. The
// connection itself belongs to the runner (it carries no RELOAD).
extension OverlayNode {
    /// Serves AppAttach for `application` (§14.5 Application-ID) with these No-ICE candidates:
    /// where the runner's socket for it is reached. Unserved applications are answered
    /// Error_Not_Found (§6.5.2.2).
    public func serveApplication(_ application: UInt16, candidates: [IpAddressPort]) {
        precondition(!candidates.isEmpty && candidates.count <= ReloadLimits.iceCandidates, "one to iceCandidates candidates")
        applications[application] = candidates
    }

    /// Sends an AppAttach for `application` to the node `peer` (§6.5.2.1). Completes with
    /// `.appAttached` (the answerer's candidates; it connects to us next), an `.error` from
    /// the answerer, or `.failed` when no answer came.
    public func appAttach(to peer: NodeId, application: UInt16, now: NodeTime) -> (RequestHandle, [NodeAction]) {
        guard let own = applications[application] else {
            let handle = newHandle()
            outbox.append(.completed(handle, .failed("application \(application) is not served by this node")))
            return (handle, drain())
        }
        let request = AppAttachReq(
            ufrag: [], password: [], application: application, role: Array("passive".utf8), candidates: noIceCandidates(own))
        return local(.node(peer), body: .appAttachRequest(request), now: now)
    }

    func noIceCandidates(_ addresses: [IpAddressPort]) -> [IceCandidate] {
        return addresses.map {
            IceCandidate(addrPort: $0, overlayLink: .dtlsUdpSrNoIce, foundation: Array("1".utf8), priority: 1, type: .host)
        }
    }

    /// §6.5.2.2: answer with our candidates for the application ("If the Application ID is
    /// not supported, the peer MUST reply with an Error_Not_Found error"), then open the
    /// connection as the DTLS client. A retransmitted request gets the cached answer
    /// (§6.2.1) and opens nothing twice.
    func handleAppAttach(_ request: AppAttachReq, _ incoming: IncomingRequest, now: NodeTime) {
        guard let own = applications[request.application] else {
            answerError(to: incoming.header, payload: [], from: incoming.from, code: .notFound,
                        text: "application \(request.application) is not served by this peer", now: now)
            return
        }
        guard !request.mixesIceAndNoIce, let candidate = request.candidates.first(where: { $0.overlayLink == .dtlsUdpSrNoIce }) else {
            answerError(to: incoming.header, payload: [], from: incoming.from, code: .incompatibleWithOverlay,
                        text: "this peer connects to DTLS-UDP-SR-NO-ICE candidates only", now: now)
            return
        }
        // As for Attach (Topology.attachRequested): only where the ConnectPolicy allows.
        if let refusal = topology.connectPolicy.admit(candidate.addrPort, for: incoming.originator, now: now.wall) {
            take([.connectRefused(refusal)])
            answerError(to: incoming.header, payload: [], from: incoming.from, code: .forbidden,
                        text: refusal == .address ? "candidate address refused" : "too many connects requested", now: now)
            return
        }
        let reply = AppAttachAns(
            ufrag: [], password: [], application: request.application, role: Array("active".utf8), candidates: noIceCandidates(own))
        answer(incoming.header, from: incoming.from, body: .appAttachAnswer(reply), now: now)
        counters.appAttachesAnswered += 1
        log(.debug, "AppAttach \(request.application) from \(incoming.originator.hex): connecting to \(candidate.addrPort.text)")
        outbox.append(.openAppLink(application: request.application, peer: incoming.originator, address: candidate.addrPort))
    }

    /// The No-ICE addresses of an AppAttachAns, for `.appAttached`.
    static func appAttachAddresses(_ answer: AppAttachAns) -> [IpAddressPort] {
        return answer.candidates.filter { $0.overlayLink.isNoIce }.map { $0.addrPort }
    }
}
