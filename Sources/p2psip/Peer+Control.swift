import Chord
import Crypto
import Link
import Node
import Platform
import Reload
import SIP
import SIPFront
import Wire

// The control socket's requests: `status [--json]`, `ping NODE-ID`, `route-query RESOURCE`.
// Status is answered at once; ping and route-query when the Node completes the request.
extension Peer {
    func controlEvent(_ token: Int) {
        if token == ControlServer.listenerToken {
            control.accept(into: loop, now: Peer.time().monotonic)
            return
        }
        guard control.owns(token) else { return }
        for request in control.service(token, loop: loop, now: Peer.time().monotonic) { answer(request) }
    }

    func answer(_ request: ControlServer.Request) {
        let words = request.words
        let now = Peer.time()
        switch words.first ?? "" {
        case "status" where words.count == 1:
            control.answer(request.connection, status: 0, lines: report(now).text, loop: loop)
        case "status" where words.count == 2 && words[1] == "--json":
            control.answer(request.connection, status: 0, lines: [report(now).json.serialized], loop: loop)
        case "ping" where words.count == 2:
            guard let bytes = Hex.decode(words[1]), let nodeId = NodeId(bytes: bytes), nodeId.length == NodeConfiguration.nodeIdLength else {
                control.answer(request.connection, status: 2, lines: ["NODE-ID '\(words[1])' is not 32 hex digits"], loop: loop)
                return
            }
            let (handle, actions) = node.ping(.node(nodeId), now: now)
            pendingRequests[handle] = PendingRequest(connection: request.connection, what: "ping \(nodeId.hex)")
            perform(actions)
        case "route-query" where words.count == 2:
            let resource = Peer.resourceId(words[1])
            let (handle, actions) = node.routeQuery(.resource(resource), now: now)
            pendingRequests[handle] = PendingRequest(connection: request.connection, what: "route-query \(Hex.encode(resource.bytes))")
            perform(actions)
        case "put", "relay", "get", "stat", "find":
            answerStorage(request, now: now)
        case "sip-events" where words.count == 1:
            guard let sip else {
                control.answer(request.connection, status: 1, lines: ["this peer runs no SIP front (start it with --sip-accounts FILE)"], loop: loop)
                return
            }
            control.answer(request.connection, status: 0, lines: sip.events, loop: loop)
        default:
            control.answer(request.connection, status: 2, lines: ["unknown request '\(words.joined(separator: " "))' (status [--json], ping NODE-ID, route-query RESOURCE, put, relay, get, stat, find, sip-events)"], loop: loop)
        }
    }

    /// RESOURCE is 32 hex digits (a Resource-ID), or a name whose Resource-ID is the first 16
    /// bytes of its SHA-1, the overlay's hash (RFC 6940 §11.1 hash algorithm, §10.2).
    static func resourceId(_ text: String) -> ResourceId {
        if text.utf8.count == 2 * NodeConfiguration.nodeIdLength, let bytes = Hex.decode(text), let id = ResourceId(bytes: bytes) {
            return id
        }
        return ResourceId(bytes: SHA1.hash(Array(text.utf8)).prefix(NodeConfiguration.nodeIdLength))!
    }

    func completed(_ handle: RequestHandle, _ result: RequestResult) {
        if sipRequests[handle] != nil {
            sipCompleted(handle, result)
            return
        }
        guard let request = pendingRequests.removeValue(forKey: handle) else { return }
        switch result {
        case .pong(let responder, let rtt, let time):
            control.answer(request.connection, status: 0, lines: ["pong from \(responder.hex) in \(rtt) ms (its clock: \(time) ms since 1970)"], loop: loop)
        case .routeQuery(let responder, let next):
            control.answer(request.connection, status: 0, lines: ["responsible: \(responder.hex)", "next hop from there: \(next.hex)"], loop: loop)
        case .probe(let responder, _):
            control.answer(request.connection, status: 0, lines: ["probe answered by \(responder.hex)"], loop: loop)
        case .error(let code, let text):
            control.answer(request.connection, status: 1, lines: ["\(request.what): \(code.rfcName): \(text)" + Peer.meaning(code)], loop: loop)
        case .failed(let text):
            control.answer(request.connection, status: 1, lines: ["\(request.what): \(text)"], loop: loop)
        case .stored, .fetched, .statted, .found:
            control.answer(request.connection, status: 0, lines: Peer.storageLines(result), loop: loop)
        case .appAttached(let responder, let application, _):
            control.answer(request.connection, status: 0, lines: ["AppAttach \(application) answered by \(responder.hex)"], loop: loop)
        }
    }

    func report(_ now: NodeTime) -> StatusReport {
        var details: [LinkId: StatusReport.LinkDetail] = [:]
        for (link, address) in addresses {
            let overlayLink = links.link(to: address)
            details[link] = StatusReport.LinkDetail(
                address: PeerAddressing.socketAddress(address)?.description ?? "?",
                roundTripMilliseconds: overlayLink?.reliability.roundTrip.smoothedMilliseconds,
                state: overlayLink?.state.description ?? "gone")
        }
        let listener = links.listenerCounters
        let counters = links.counters
        let transport: [(String, UInt64)] = [
            ("links_established", counters.linksEstablished), ("links_failed", counters.linksFailed),
            ("links_closed", counters.linksClosed), ("links_refused_identity", linksRefused),
            ("handshakes_in_progress", UInt64(links.handshakesInProgress)),
            ("hello_verify_sent", listener.helloVerifySent), ("cookies_valid", listener.cookiesValid),
            ("client_hellos_over_limit", listener.droppedOverLimit), ("datagrams_not_client_hello", listener.droppedNotClientHello),
            ("handshakes_failed", listener.handshakesFailed), ("dropped_link_table_full", counters.droppedLinkTableFull),
        ]
        var report = StatusReport(node: node.status(now: now), userName: setup.identity.userName, linkDetails: details, transport: transport)
        report.sip = sipStatus()
        return report
    }

    func sipStatus() -> SIPStatus? {
        guard let sip else { return nil }
        let connections = sip.peerAt.map { address, peer in
            SIPStatus.Connection(
                peer: peer.hex, address: PeerAddressing.socketAddress(address)?.description ?? "?",
                established: sip.appLinks.isEstablished(address))
        }.sorted { $0.peer < $1.peer }
        let c = sip.counters
        let links = sip.appLinks.counters
        let counters: [(String, UInt64)] = [
            ("phone_datagrams_in", c.phoneDatagramsIn), ("phone_datagrams_out", c.phoneDatagramsOut),
            ("peer_messages_in", c.overlayMessagesIn), ("peer_messages_out", c.overlayMessagesOut),
            ("registrations_stored", c.registrationsStored), ("registrations_refused", c.registrationsRefused),
            ("lookups", c.lookups), ("lookups_not_found", c.lookupsNotFound), ("app_attaches_sent", c.appAttachesSent),
            ("app_attaches_failed", c.appAttachesFailed), ("app_attaches_answered", UInt64(node.counters.appAttachesAnswered)),
            ("connections_established", links.linksEstablished), ("connections_failed", links.linksFailed),
            ("connections_unanswered", links.linksUnanswered), ("connections_idle_closed", links.linksIdle),
            ("connections_refused", c.connectionsRefused), ("messages_dropped_waiting", c.queuedDropped),
        ]
        return SIPStatus(
            phones: sip.phoneAddress.description, connectionAddress: sip.appCandidate.text,
            accounts: sip.setup.accounts.map { String(decoding: $0.username, as: UTF8.self) }, bindings: sip.front.registrationCount,
            transactions: sip.front.transactionCount, connections: connections, counters: counters)
    }
}
