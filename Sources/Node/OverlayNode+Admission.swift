import Chord
import Reload
import Wire

// A request from another node is admitted (RequestAdmission) before its signature is verified
// (RFC 6940 §6.3.4); refused, it is answered at once with an error, so that its originator
// learns the peer is busy instead of retransmitting into the overload five times (§6.2.1).
// Requests we forward are not charged: a forwarder only reads the forwarding header (§6.1.2),
// verifies nothing, and the link layer's send queue bounds what it sends on.
extension OverlayNode {
    /// The error of a refusal. RFC 6940 §6.3.3.1 has no "busy"; Error_Request_Timeout is the
    /// one code whose meaning says "the requesting node MAY resend the request at a later
    /// time", which is what a peer over budget or overloaded wants. Error_Forbidden would tell
    /// the user it may not write the value at all (§7.3), Error_In_Progress belongs to Attach
    /// (§6.5.1.2). The reason phrase says "over budget" or "overloaded".
    static var refusalCode: ErrorCode { .requestTimeout }

    /// Whether the request on `link` (message code `code`) goes on to be verified; when not,
    /// it was answered with `refusalCode` or dropped, and counted.
    func admitted(header: ForwardingHeader, code: UInt16, from: NodeId, link: LinkId, now: NodeTime) -> Bool {
        let refusal: RequestAdmission.Refusal?
        if isMaintenance(code: code, header: header, from: from) {
            refusal = admission.admitMaintenance(link: link, now: now)
        } else {
            let load = RequestAdmission.Load(transactions: transactions.count, transactionCapacity: transactions.capacity)
            refusal = admission.admit(link: link, owner: topology.links.owner(of: from) ?? from.hex, load: load, now: now)
        }
        guard let refusal else { return true }
        count(refusal)
        if admission.answersRefusal(link: link, now: now) {
            answerError(to: header, payload: [], from: from, code: OverlayNode.refusalCode, text: refusal.reason, now: now)
        } else {
            counters.refusalsDropped += 1
        }
        return false
    }

    /// The ring's upkeep sent straight from a neighbor's link (empty via list): Update, Ping,
    /// Probe, Join, Leave (§10.7, §10.5, §10.9), and Stores from a node of our neighbor set,
    /// the replica Stores of the responsible peer (§10.4) and hand-offs (§10.7.3).
    func isMaintenance(code: UInt16, header: ForwardingHeader, from: NodeId) -> Bool {
        guard header.viaList.isEmpty, let message = MessageCode(rawValue: code) else { return false }
        switch message {
        case .updateRequest, .pingRequest, .probeRequest, .joinRequest, .leaveRequest:
            return true
        case .storeRequest:
            guard let point = RingId(bytes: from.bytes) else { return false }
            return topology.chord.neighbors.contains(point)
        default:
            return false
        }
    }

    func count(_ refusal: RequestAdmission.Refusal) {
        switch refusal {
        case .linkBudget: counters.refusedLinkBudget += 1
        case .userBudget: counters.refusedUserBudget += 1
        case .maintenanceBudget: counters.refusedMaintenanceBudget += 1
        case .transactionTable: counters.shedTransactionTable += 1
        case .signatureLoad: counters.shedSignatureLoad += 1
        case .storeBudget: counters.refusedStoreBudget += 1
        }
    }
}
