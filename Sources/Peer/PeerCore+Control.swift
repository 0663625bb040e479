import Chord
import Crypto
import Link
import Node
import Reload
import SIPFront
import SIPUsage
import Storage
import Wire

// The control interface's requests: `status [--json]`, `ping NODE-ID`, `route-query
// RESOURCE`, the storage requests (PeerStorageRequests) and `sip-events`. Status is answered
// at once; the others when the Node completes the request.
extension PeerCore {
    /// One control request; its answer comes in the returned outputs or, for requests the
    /// Node must complete, in the outputs of a later call.
    public func control(_ request: ControlRequest, now: NodeTime) -> [PeerOutput] {
        let words = request.words
        switch words.first ?? "" {
        case "status" where words.count == 1:
            answer(request.connection, status: 0, lines: report(now).text)
        case "status" where words.count == 2 && words[1] == "--json":
            answer(request.connection, status: 0, lines: [report(now).json.serialized])
        case "ping" where words.count == 2:
            guard let bytes = Hex.decode(words[1]), let nodeId = NodeId(bytes: bytes), nodeId.length == NodeConfiguration.nodeIdLength else {
                answer(request.connection, status: 2, lines: ["NODE-ID '\(words[1])' is not 32 hex digits"])
                break
            }
            let (handle, actions) = node.ping(.node(nodeId), now: now)
            pendingControl[handle] = PendingControl(connection: request.connection, what: "ping \(nodeId.hex)")
            perform(actions, now: now)
        case "route-query" where words.count == 2:
            let resource = PeerStorageRequests.resourceId(words[1])
            let (handle, actions) = node.routeQuery(.resource(resource), now: now)
            pendingControl[handle] = PendingControl(connection: request.connection, what: "route-query \(Hex.encode(resource.bytes))")
            perform(actions, now: now)
        case "put", "relay", "get", "stat", "find":
            startStorage(request, now: now)
        case "sip-events" where words.count == 1:
            guard let sip else {
                answer(request.connection, status: 1, lines: ["this peer runs no SIP front (start it with --sip-accounts FILE)"])
                break
            }
            answer(request.connection, status: 0, lines: sip.events)
        default:
            answer(request.connection, status: 2, lines: [
                "unknown request '\(words.joined(separator: " "))' (status [--json], ping NODE-ID, route-query RESOURCE, put, relay, get, stat, find, sip-events)"
            ])
        }
        return drain()
    }

    func answer(_ connection: Int, status: Int32, lines: [String]) {
        outbox.append(.controlAnswer(connection: connection, status: status, lines: lines))
    }

    /// A Node request finished: the SIP usage's, or a control request's.
    func completed(_ handle: RequestHandle, _ result: RequestResult, now: NodeTime) {
        if let sip, sip.owns(handle) {
            absorb(sip.completed(handle, result, now: now), now: now)
            return
        }
        guard let request = pendingControl.removeValue(forKey: handle) else { return }
        switch result {
        case .pong(let responder, let rtt, let time):
            answer(request.connection, status: 0, lines: ["pong from \(responder.hex) in \(rtt) ms (its clock: \(time.millisecondsSince1970) ms since 1970)"])
        case .routeQuery(let responder, let next):
            answer(request.connection, status: 0, lines: ["responsible: \(responder.hex)", "next hop from there: \(next.hex)"])
        case .probe(let responder, _):
            answer(request.connection, status: 0, lines: ["probe answered by \(responder.hex)"])
        case .error(let code, let text):
            answer(request.connection, status: 1, lines: ["\(request.what): \(code.rfcName): \(text)" + PeerStorageRequests.meaning(code)])
        case .failed(let text):
            answer(request.connection, status: 1, lines: ["\(request.what): \(text)"])
        case .stored, .fetched, .statted, .found:
            answer(request.connection, status: 0, lines: PeerStorageRequests.lines(result))
        case .appAttached(let responder, let application, _):
            answer(request.connection, status: 0, lines: ["AppAttach \(application) answered by \(responder.hex)"])
        }
    }

    /// A storage request of the control interface, parsed fully before anything is sent.
    func startStorage(_ request: ControlRequest, now: NodeTime) {
        let started: (RequestHandle, [NodeAction])
        switch StorageControl.parse(request.words, kinds: node.configuration.kinds) {
        case .failure(let problem):
            answer(request.connection, status: 2, lines: [problem.text])
            return
        case .success(let parsed):
            let kind = parsed.kind?.id ?? KindId(0)
            switch parsed.operation {
            case .put(let value, let lifetime):
                started = node.store(resource: parsed.resource, kind: kind, values: [value], lifetimeSeconds: lifetime, now: now)
            case .relay(let bytes): started = node.relay(bytes, now: now)
            case .get(let specifier): started = node.fetch(resource: parsed.resource, specifiers: [specifier], now: now)
            case .stat(let specifier): started = node.stat(resource: parsed.resource, specifiers: [specifier], now: now)
            case .find: started = node.find(resource: parsed.resource, kinds: [kind], now: now)
            }
        }
        let what = request.words.first == "relay" ? "store" : request.words.prefix(3).joined(separator: " ")
        pendingControl[started.0] = PendingControl(connection: request.connection, what: what)
        perform(started.1, now: now)
    }

    /// What `status` shows.
    public func report(_ now: NodeTime) -> StatusReport {
        var details: [LinkId: StatusReport.LinkDetail] = [:]
        for (address, peer) in links.boundPeers {
            let overlayLink = links.link(to: address)
            details[peer.number] = StatusReport.LinkDetail(
                address: address.ipAddressPort?.text ?? "?", roundTripMilliseconds: overlayLink?.reliability.roundTrip.smoothedMilliseconds,
                state: overlayLink?.state.description ?? "gone")
        }
        let listener = links.listenerCounters
        let counters = links.counters
        let transport: [(String, UInt64)] = [
            ("links_established", counters.linksEstablished), ("links_failed", counters.linksFailed),
            ("links_closed", counters.linksClosed), ("links_refused_identity", linksRefused),
            ("certificates_refused_in_handshake", counters.certificatesRefusedInHandshake),
            ("handshakes_in_progress", UInt64(links.handshakesInProgress)),
            ("hello_verify_sent", listener.helloVerifySent), ("cookies_valid", listener.cookiesValid),
            ("client_hellos_over_limit", listener.droppedOverLimit), ("datagrams_not_client_hello", listener.droppedNotClientHello),
            ("handshakes_failed", listener.handshakesFailed), ("dropped_link_table_full", counters.droppedLinkTableFull),
            ("client_hellos_over_source_limit", listener.droppedSourceLimit), ("client_hellos_over_source_rate", listener.droppedSourceRate),
            ("client_hellos_banned", listener.droppedBanned), ("half_open_gave_way", listener.halfOpenEvicted),
            ("half_open_expired", listener.halfOpenExpired),
            ("addresses_banned", listener.bans),
        ]
        var report = StatusReport(node: node.status(now: now), userName: node.identity.userName, linkDetails: details, transport: transport)
        report.sip = sipStatus()
        report.revocation = revocation?.status(now: now)
        return report
    }

    func sipStatus() -> SIPStatus? {
        guard let sip else { return nil }
        var connections: [SIPStatus.Connection] = []
        for address in sip.appLinks.addresses {
            guard let peer = sip.appLinks.peer(at: address) else { continue }
            connections.append(SIPStatus.Connection(
                peer: peer.identity.nodeId.hex, address: address.ipAddressPort?.text ?? "?", established: sip.appLinks.isEstablished(address)))
        }
        connections.sort { $0.peer < $1.peer }
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
        ] + SIPStatus.refusals(sip.front.counters)
        return SIPStatus(
            phones: sip.configuration.phonesListening, connectionAddress: sip.configuration.appCandidate.text,
            accounts: sip.configuration.accounts.map { String(decoding: $0.username, as: UTF8.self) }, bindings: sip.front.registrationCount,
            transactions: sip.front.transactionCount, connections: connections, counters: counters)
    }
}
