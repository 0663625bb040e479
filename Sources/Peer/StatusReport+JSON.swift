import Crypto
import Node
import Reload
import Wire

extension StatusReport {
    /// `p2psip status --json`: {"node_id", "user", "overlay", "state", "uptime_seconds",
    /// "predecessors", "successors", "fingers" (hex, nearest first), "links": [...],
    /// "counters": {...}, "transport", "revocation_list" (RevocationStatus), "sip"}.
    public var json: JSONValue {
        let hexes = { (nodes: [NodeId]) -> JSONValue in .array(nodes.map { .string($0.hex) }) }
        let sipMembers: [JSONValue.Member] = sip.map { [.init("sip", $0.json)] } ?? []
        let revocationMembers: [JSONValue.Member] = revocation.map { [.init("revocation_list", $0.json)] } ?? []
        return .object([
            .init("node_id", .string(node.nodeId.hex)),
            .init("user", .string(userName)),
            .init("overlay", .string(node.overlay)),
            .init("state", .string(StatusReport.phaseName(node.phase))),
            .init("uptime_seconds", .integer(Int64(node.uptimeSeconds))),
            .init("predecessors", hexes(node.predecessors)),
            .init("successors", hexes(node.successors)),
            .init("fingers", hexes(node.fingers)),
            .init("links", .array(node.links.map { linkJSON($0) })),
            .init("counters", countersJSON),
            .init("transport", .object(transport.map { .init($0.0, .integer(Int64(clamping: $0.1))) })),
        ] + revocationMembers + sipMembers)
    }

    func linkJSON(_ link: NodeStatus.Link) -> JSONValue {
        let detail = linkDetails[link.link]
        var members: [JSONValue.Member] = [
            .init("node_id", .string(link.nodeId.hex)),
            .init("user", .string(link.userName)),
            .init("address", .string(detail?.address ?? "")),
            .init("state", .string(detail?.state ?? "")),
            .init("routing_peer", .bool(link.isPeer)),
            .init("up_seconds", .integer(Int64(link.upMilliseconds / 1000))),
        ]
        if let rtt = detail?.roundTripMilliseconds { members.append(.init("rtt_ms", .integer(Int64(rtt)))) }
        return .object(members)
    }

    var countersJSON: JSONValue {
        let c = node.counters
        let number = { (value: Int) -> JSONValue in .integer(Int64(value)) }
        let codes = { (counts: [UInt16: Int]) -> JSONValue in
            .object(counts.keys.sorted().map { .init(ErrorCode(rawValue: $0)?.rfcName ?? "\($0)", .integer(Int64(counts[$0] ?? 0))) })
        }
        return .object([
            .init("messages_in", number(c.messagesIn)), .init("messages_out", number(c.messagesOut)),
            .init("forwarded", number(c.forwarded)), .init("answered", number(c.requestsAnswered)),
            .init("retransmissions", number(c.retransmissions)), .init("requests_failed", number(c.transactionsFailed)),
            .init("dropped", .object([
                .init("malformed", number(c.droppedMalformed)), .init("wrong_overlay", number(c.droppedWrongOverlay)),
                .init("bad_signature", number(c.droppedBadSignature)), .init("untrusted_signer", number(c.droppedUntrustedSigner)),
                .init("loop", number(c.droppedLoop)), .init("no_route", number(c.droppedNoRoute)),
                .init("unexpected_answer", number(c.droppedUnexpectedResponse)), .init("over_limit", number(c.droppedOverLimit)),
                .init("not_for_us", number(c.droppedNotForUs)), .init("not_responsible", number(c.droppedNotResponsible)),
                .init("connect_address_refused", number(c.connectsRefusedAddress)), .init("connect_budget_refused", number(c.connectsRefusedBudget)),
                .init("banned", number(c.droppedBanned)),
            ])),
            .init("misbehaviour", .object([
                .init("bans_imposed", number(node.bansImposed)),
                .init("suspects", .array(node.misbehaviour.prefix(StatusReport.suspectsShown).map { suspect in
                    .object([
                        .init("subject", .string(suspect.subject)), .init("points", number(suspect.points)),
                        .init("offences", number(suspect.offences)),
                        .init("banned_seconds", .integer(Int64(suspect.bannedMilliseconds / 1000))),
                    ])
                })),
            ])),
            .init("requests_refused", .object([
                .init("link_budget", number(c.refusedLinkBudget)), .init("user_budget", number(c.refusedUserBudget)),
                .init("store_budget", number(c.refusedStoreBudget)),
                .init("maintenance_budget", number(c.refusedMaintenanceBudget)),
                .init("transaction_table", number(c.shedTransactionTable)), .init("signature_load", number(c.shedSignatureLoad)),
                .init("unanswered", number(c.refusalsDropped)),
            ])),
            .init("signatures_verified", number(c.signaturesVerified)),
            .init("signatures_last_second", number(node.signaturesLastSecond)),
            .init("verify_budget_per_second", number(node.verificationsPerSecond)),
            .init("errors_sent", codes(c.errorsSent)), .init("errors_received", codes(c.errorsReceived)),
            .init("storage", .object([
                .init("records", .integer(Int64(clamping: node.storedRecords))), .init("bytes", .integer(Int64(clamping: node.storedBytes))),
                .init("handoffs_pending", .integer(Int64(node.pendingHandoffs))),
                .init("stores_accepted", number(c.storesAccepted)), .init("stores_refused", number(c.storesRefused)),
                .init("handoff_stores", number(c.handoffStores)), .init("fetched_values_dropped", number(c.fetchedValuesDropped)),
                .init("certificate_publications", number(c.certificatePublications)),
                .init("certificate_publications_failed", number(c.certificatePublicationsFailed)),
                .init("certificate_lookups", number(c.certificateLookups)), .init("certificates_found", number(c.certificatesFound)),
            ])),
            .init("crypto", cryptoJSON),
        ])
    }

    var cryptoJSON: JSONValue {
        let crypto = CryptoOperations.counted
        return .object([
            .init("signatures", .integer(Int64(clamping: crypto.signatures))),
            .init("verifications", .integer(Int64(clamping: crypto.verifications))),
            .init("chain_verifications", .integer(Int64(clamping: crypto.chainVerifications))),
        ])
    }
}
