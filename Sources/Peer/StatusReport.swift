import Crypto
import Node
import Reload
import Wire

/// What `p2psip status` shows: the node's own status plus what the link layer knows about
/// each link. Rendered as text for people (like `wg show`) or as JSON for scripts.
public struct StatusReport {
    public struct LinkDetail {
        var address: String
        var roundTripMilliseconds: UInt64?
        var state: String
    }

    var node: NodeStatus
    var userName: String
    /// By link number.
    var linkDetails: [LinkId: LinkDetail]
    /// The link layer's counters (DTLS listener and links), by their JSON names.
    var transport: [(String, UInt64)] = []
    /// The SIP front, when the peer runs one.
    var sip: SIPStatus? = nil
    /// The revocation list in use and its fetches from the enrollment server.
    var revocation: RevocationStatus? = nil

    /// Text, one fact per line, neighbors nearest first.
    public var text: [String] {
        var lines = [
            "node: \(node.nodeId.hex)",
            "  user: \(userName)",
            "  overlay: \(node.overlay)",
            "  state: \(StatusReport.phaseName(node.phase))",
            "  uptime: \(StatusReport.duration(seconds: UInt64(node.uptimeSeconds)))",
            "  predecessors: \(StatusReport.list(node.predecessors))",
            "  successors: \(StatusReport.list(node.successors))",
            "  fingers: \(StatusReport.list(node.fingers))",
            "",
        ]
        for link in node.links {
            let detail = linkDetails[link.link]
            lines.append("link: \(link.nodeId.hex) (\(link.userName))")
            lines.append("  address: \(detail?.address ?? "?")")
            lines.append("  state: \(detail?.state ?? "?")\(link.isPeer ? ", routing peer" : "")")
            if let rtt = detail?.roundTripMilliseconds { lines.append("  round trip: \(rtt) ms") }
            lines.append("  up: \(StatusReport.duration(seconds: link.upMilliseconds / 1000))")
            lines.append("")
        }
        lines.append(contentsOf: counterLines)
        if !transport.isEmpty {
            var text = "  transport:"
            for (index, (name, value)) in transport.enumerated() { text += (index == 0 ? " " : ", ") + "\(name) \(value)" }
            lines.append(text)
        }
        if let revocation {
            lines.append("")
            lines += revocation.text
        }
        if let sip {
            lines.append("")
            lines += sip.text
        }
        return lines
    }

    var counterLines: [String] {
        let c = node.counters
        var lines = [
            "counters:",
            "  messages in: \(c.messagesIn), out: \(c.messagesOut), forwarded: \(c.forwarded), answered: \(c.requestsAnswered)",
            "  retransmissions: \(c.retransmissions), requests failed: \(c.transactionsFailed), pending: \(node.pendingTransactions)",
            "  dropped: malformed \(c.droppedMalformed), wrong overlay \(c.droppedWrongOverlay), bad signature \(c.droppedBadSignature), "
                + "untrusted signer \(c.droppedUntrustedSigner), loop \(c.droppedLoop), no route \(c.droppedNoRoute), "
                + "unexpected answer \(c.droppedUnexpectedResponse), over limit \(c.droppedOverLimit), not for us \(c.droppedNotForUs), "
                + "not responsible \(c.droppedNotResponsible), connect address refused \(c.connectsRefusedAddress), "
                + "connect budget refused \(c.connectsRefusedBudget)",
            "  requests refused: link budget \(c.refusedLinkBudget), user budget \(c.refusedUserBudget), store budget \(c.refusedStoreBudget), "
                + "maintenance budget \(c.refusedMaintenanceBudget), shed for transaction table \(c.shedTransactionTable), "
                + "signature load \(c.shedSignatureLoad), unanswered \(c.refusalsDropped)",
            "  signatures verified: \(c.signaturesVerified), last second \(node.signaturesLastSecond) of \(node.verificationsPerSecond)",
        ]
        lines.append("  storage: records \(node.storedRecords) (\(node.storedBytes) bytes), stores accepted \(c.storesAccepted), refused \(c.storesRefused), "
            + "hand-off stores \(c.handoffStores) (\(node.pendingHandoffs) pending), fetched values dropped \(c.fetchedValuesDropped)")
        lines.append("  certificates: published \(c.certificatePublications) (failed \(c.certificatePublicationsFailed)), "
            + "looked up \(c.certificateLookups), found \(c.certificatesFound)")
        let crypto = CryptoOperations.counted
        lines.append("  crypto: signatures \(crypto.signatures), verifications \(crypto.verifications), chain verifications \(crypto.chainVerifications)")
        lines.append("  misbehaviour: bans imposed \(node.bansImposed), refused from banned nodes \(c.droppedBanned)")
        for suspect in node.misbehaviour.prefix(StatusReport.suspectsShown) {
            let ban = suspect.bannedMilliseconds > 0 ? ", banned for \(StatusReport.duration(seconds: suspect.bannedMilliseconds / 1000))" : ""
            lines.append("    \(suspect.subject): \(suspect.points) points, \(suspect.offences) offences\(ban)")
        }
        if !c.errorsSent.isEmpty { lines.append("  errors sent: \(StatusReport.errors(c.errorsSent))") }
        if !c.errorsReceived.isEmpty { lines.append("  errors received: \(StatusReport.errors(c.errorsReceived))") }
        return lines
    }

    /// Suspects `status` lists at most (the highest scores and bans first).
    static let suspectsShown = 16

    static func phaseName(_ phase: NodePhase) -> String {
        switch phase {
        case .idle: return "idle"
        case .bootstrapping: return "bootstrapping"
        case .attaching: return "attaching"
        case .joining: return "joining"
        case .joined: return "joined"
        case .stopped: return "stopped"
        }
    }

    static func list(_ nodes: [NodeId]) -> String {
        if nodes.isEmpty { return "(none)" }
        var text = ""
        for (index, node) in nodes.enumerated() { text += (index == 0 ? "" : ", ") + node.hex }
        return text
    }

    static func duration(seconds: UInt64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
    }

    static func errors(_ counts: [UInt16: Int]) -> String {
        var text = ""
        for code in counts.keys.sorted() {
            let name = ErrorCode(rawValue: code)?.rfcName ?? "\(code)"
            text += (text.isEmpty ? "" : ", ") + "\(name) \(counts[code] ?? 0)"
        }
        return text
    }
}
