import Reload
import SIP
import Wire

extension SIPFront {
    /// Where a request goes next (RFC 3261 §16.4 route processing, §16.5 targets).
    enum RouteDecision {
        case forward(SIPHop, requestURI: SIPURI, routes: [SIPNameAddress])
        /// Resolve the AOR in the overlay first (RFC 7904 §4.2).
        case lookup(AddressOfRecord)
        case refuse(Int, String)
    }

    /// RFC 3261 §16.3 (request validation) and §16.6 (forwarding), for every method but
    /// REGISTER and CANCEL.
    mutating func handleProxy(_ request: SIPMessage, from hop: SIPHop, branch: [UInt8], now: WallTime) throws(SIPError) -> [SIPFrontAction] {
        func refuse(_ status: Int, _ reason: String) -> [SIPFrontAction] {
            return answer(request, to: hop, branch: branch, status: status, reason: reason, now: now)
        }
        guard let requestURI = request.requestURI else { preconditionFailure("a request has a Request-URI") }
        let method = request.cseq.method
        // RFC 3261 §11.2: OPTIONS to the front itself is answered as a UAS would.
        if method == .options && isAddressedToUs(requestURI) && request.routes.allSatisfy({ isOurs($0.uri) }) {
            return answer(request, to: hop, branch: branch, status: 200, reason: "OK", now: now) { response in
                response.otherHeaders.append(SIPHeaderField(name: Array("Allow".utf8), value: Array(SIPFront.allowedMethods.utf8)))
                response.otherHeaders.append(SIPHeaderField(name: Array("Accept".utf8), value: Array("application/sdp".utf8)))
            }
        }
        // §16.3 step 5: we understand no proxy extension: 420 naming them in Unsupported.
        let proxyRequired = request.values(of: "Proxy-Require")
        guard proxyRequired.isEmpty else {
            return answer(request, to: hop, branch: branch, status: 420, reason: "Bad Extension", now: now) { response in
                for value in proxyRequired { response.otherHeaders.append(SIPHeaderField(name: Array("Unsupported".utf8), value: value)) }
            }
        }
        // Only registered phones may use the peer's place in the overlay.
        if case .phone(let address) = hop, !registrations.hasSource(address, now: now) {
            return refuse(403, "Forbidden (register first)")
        }
        // §16.3 step 3: Max-Forwards 0 ends here; our Via and Record-Route must still fit.
        guard request.maxForwards != 0, request.via.count < SIPLimits.maximumValues,
            request.recordRoutes.count < SIPLimits.maximumValues
        else { return refuse(483, "Too Many Hops") }
        switch try route(request, from: hop, now: now) {
        case .refuse(let status, let reason):
            return refuse(status, reason)
        case .forward(let next, let target, let routes):
            if method == .ack { return forwardAcknowledgement(request, to: next, requestURI: target, routes: routes) }
            guard let index = startTransaction(request, from: hop, branch: branch, target: target, state: .forwarded, now: now) else {
                return refuse(503, "Service Unavailable (too many transactions)")
            }
            return trying(index) + forward(index, to: next, requestURI: target, routes: routes)
        case .lookup(let addressOfRecord):
            if method == .ack { return [log(.debug, "ACK outside a dialog dropped")] }
            let state = ProxyTransaction.State.lookingUp(addressOfRecord, dereferences: 0)
            guard let index = startTransaction(request, from: hop, branch: branch, target: requestURI, state: state, now: now) else {
                return refuse(503, "Service Unavailable (too many transactions)")
            }
            let lookup = RegistrationLookup(lookupId: transactions[index].id, addressOfRecord: addressOfRecord)
            return trying(index) + [.lookup(lookup)]
        }
    }

    static let allowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER"

    /// §16.4: our own Route values are removed; the next one names a peer (its `node`), or,
    /// with none left, the Request-URI is a phone's contact (inside a dialog) or an AOR of the
    /// overlay. A request from a peer must end here: we do not relay between peers.
    func route(_ request: SIPMessage, from hop: SIPHop, now: WallTime) throws(SIPError) -> RouteDecision {
        guard let requestURI = request.requestURI else { preconditionFailure("a request has a Request-URI") }
        var routes = request.routes
        while let first = routes.first, isOurs(first.uri) { routes.removeFirst() }
        if let next = routes.first {
            guard case .phone = hop else { return .refuse(403, "Forbidden (no relaying between peers)") }
            guard let peer = SIPFront.nodeParameter(next.uri) else { return .refuse(404, "Not Found (route leaves the overlay)") }
            return .forward(.peer(peer), requestURI: requestURI, routes: routes)
        }
        if let binding = registrations.binding(target: requestURI, now: now) {
            return .forward(.phone(binding.source), requestURI: requestURI, routes: [])
        }
        guard requestURI.user != nil, requestURI.host == configuration.domain || isOurAddress(requestURI) else {
            return .refuse(404, "Not Found (not in this overlay)")
        }
        let addressOfRecord = try AddressOfRecord(uri: inOverlayDomain(requestURI), field: "Request-URI")
        // A peer that resolved the AOR to us already: deliver to our phone.
        if case .peer = hop { return deliverLocally(addressOfRecord, now: now) }
        return .lookup(addressOfRecord)
    }

    /// §16.5: the target is the contact of the newest binding (we do not fork).
    func deliverLocally(_ addressOfRecord: AddressOfRecord, now: WallTime) -> RouteDecision {
        guard let binding = registrations.newestBinding(of: addressOfRecord, now: now) else {
            return .refuse(480, "Temporarily Unavailable")
        }
        return .forward(.phone(binding.source), requestURI: binding.contact.uri, routes: [])
    }

    mutating func startTransaction(
        _ request: SIPMessage, from hop: SIPHop, branch: [UInt8], target: SIPURI, state: ProxyTransaction.State, now: WallTime
    ) -> Int? {
        guard !transactions.isFull else { return nil }
        let timeout = request.cseq.method == .invite ? SIPFrontLimits.inviteTimeoutSeconds : SIPFrontLimits.transactionSeconds
        let transaction = ProxyTransaction(
            id: newId(), upstream: hop, upstreamBranch: branch, ourBranch: newBranch(), request: request, target: target,
            downstream: nil, state: state, deadline: now.adding(seconds: timeout))
        transactions.insert(transaction)
        return transactions.entries.count - 1
    }

    /// RFC 3261 §16.2: a stateful proxy sends 100 (Trying) for an INVITE it cannot answer at
    /// once; it stops the phone retransmitting (§17.1.1.2).
    mutating func trying(_ index: Int) -> [SIPFrontAction] {
        let transaction = transactions[index]
        guard transaction.method == .invite else { return [] }
        let bytes = SIPMessage.response(to: transaction.request, statusCode: 100, reason: Array("Trying".utf8), toTag: nil).serialize()
        transactions[index].lastUpstreamResponse = bytes
        return [send(bytes, to: transaction.upstream)]
    }

    /// RFC 3261 §16.6: copy, new Request-URI (step 2), Max-Forwards (3), Record-Route for a
    /// dialog-creating INVITE (4), the remaining routes (6), our Via (8), send (10).
    mutating func forward(_ index: Int, to next: SIPHop, requestURI: SIPURI, routes: [SIPNameAddress]) -> [SIPFrontAction] {
        var transaction = transactions[index]
        var copy = forwardedCopy(transaction.request, requestURI: requestURI, routes: routes, branch: transaction.ourBranch)
        if transaction.method == .invite && transaction.request.to.tag == nil { copy.recordRoutes.insert(recordRoute, at: 0) }
        transaction.forwarded = copy
        transaction.downstream = next
        transaction.state = .forwarded
        transactions[index] = transaction
        return [send(copy.serialize(), to: next)]
    }

    func forwardedCopy(_ request: SIPMessage, requestURI: SIPURI, routes: [SIPNameAddress], branch: [UInt8]) -> SIPMessage {
        var copy = request
        copy.startLine = .request(method: request.cseq.method, uri: requestURI)
        copy.routes = routes
        copy.maxForwards = request.maxForwards.map { $0 - 1 } ?? SIPFrontLimits.defaultMaxForwards
        copy.via.insert(ourVia(branch: branch), at: 0)
        return copy
    }

    /// The ACK of a 2xx is a transaction of its own without a response (RFC 3261 §13.2.2.4,
    /// §17.1.1.3): forwarded along its Route set, keeping no state (§16.11).
    mutating func forwardAcknowledgement(_ request: SIPMessage, to next: SIPHop, requestURI: SIPURI, routes: [SIPNameAddress]) -> [SIPFrontAction] {
        let copy = forwardedCopy(request, requestURI: requestURI, routes: routes, branch: newBranch())
        return [send(copy.serialize(), to: next)]
    }
}
