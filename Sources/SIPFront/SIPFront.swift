import Crypto
import Reload
import SIP
import Wire

/// The SIP registrar and proxy of a peer, for unmodified phones on its LAN
/// (RFC 7904 §3 to §5 over RFC 3261 §10 and §16). Sans-I/O: the peer process hands
/// it datagrams from phones, SIP messages from other peers and the results of overlay
/// operations, with the time, and performs the actions it returns.
///
/// Time is the wall clock, a WallTime (the peer passes it to the second: SIP counts whole
/// seconds, and digest nonces carry them). Every table is bounded (SIPFrontLimits,
/// SIPFrontConfiguration).
///
/// Dialogs keep no state here: the Record-Route we add names our Node-ID (`;node=`), so an
/// in-dialog request says by its Route set which peer to go through next (RFC 3261 §16.12
/// loose routing), and its Request-URI (the phone's contact) which phone.
public struct SIPFront {
    public let configuration: SIPFrontConfiguration
    var authenticator: DigestAuthenticator
    /// Digest failures per source address and per user name (RFC 3261 §26.3.2.4).
    var failures: FailureRateLimiter
    var userFailures: FailureRateLimiter
    /// Per-source budgets: REGISTER, and the other requests outside a dialog.
    var registerBuckets: TokenBucketTable
    var requestBuckets: TokenBucketTable
    /// What was refused, by cause.
    public internal(set) var counters = SIPFrontCounters()
    /// The password an unknown user name is checked against, so that it costs the same work
    /// and gets the same answer as a known one with a wrong password (nobody knows it).
    let unknownUserSecret: DigestSecret
    var registrations: RegistrationTable
    var transactions: ProxyTransactionTable
    var answered: AnsweredRequests
    var pendingStores: [PendingStore] = []
    var lastId: UInt32 = 0
    var branchCounter: UInt64 = 0
    /// Keyed from the configured secret: branches and tags nobody can predict.
    let identifierKey: [UInt8]
    /// Our Node-ID in lower-case hex, the `node` parameter of our Record-Route.
    let nodeHex: [UInt8]

    public init(configuration: SIPFrontConfiguration) {
        configuration.validate()
        self.configuration = configuration
        let nonceSecret = HMACSHA256.authenticationCode(key: configuration.secret, message: Array("p2psip SIP front nonces".utf8))
        authenticator = DigestAuthenticator(secret: nonceSecret, realm: configuration.realm, algorithms: configuration.digestAlgorithms)
        failures = SIPFront.failureLimiter(capacity: SIPFrontLimits.failureTableCapacity)
        userFailures = SIPFront.failureLimiter(capacity: SIPFrontLimits.userFailureTableCapacity)
        let budgets = configuration.budgets
        registerBuckets = TokenBucketTable(
            capacity: budgets.sourceTableCapacity, ratePerMinute: budgets.registerRatePerMinute, burst: budgets.registerBurst)
        requestBuckets = TokenBucketTable(
            capacity: budgets.sourceTableCapacity, ratePerMinute: budgets.requestRatePerMinute, burst: budgets.requestBurst)
        let unknownUserPassword = HMACSHA256.authenticationCode(key: configuration.secret, message: Array("p2psip SIP front unknown users".utf8))
        unknownUserSecret = .password(Array(Hex.encode(unknownUserPassword).utf8))
        registrations = RegistrationTable(capacity: configuration.registrationCapacity)
        transactions = ProxyTransactionTable(capacity: configuration.transactionCapacity)
        answered = AnsweredRequests(capacity: configuration.answeredCapacity)
        identifierKey = HMACSHA256.authenticationCode(key: configuration.secret, message: Array("p2psip SIP front identifiers".utf8))
        nodeHex = Array(configuration.nodeId.hex.utf8)
    }

    // MARK: Inputs

    /// A UDP datagram from a phone.
    public mutating func receive(datagram: [UInt8], from address: PhoneAddress, now: WallTime) -> [SIPFrontAction] {
        return receive(datagram, from: .phone(address), now: now)
    }

    /// A SIP message from another peer, over the SIP connection of RFC 7904 §5.
    public mutating func received(fromOverlay bytes: [UInt8], from peer: NodeId, now: WallTime) -> [SIPFrontAction] {
        return receive(bytes, from: .peer(peer), now: now)
    }

    /// Timers: registrations expire, transactions time out, answers are forgotten.
    public mutating func tick(now: WallTime) -> [SIPFrontAction] {
        var actions: [SIPFrontAction] = []
        for addressOfRecord in registrations.expire(now: now) {
            actions.append(.log(level: .info, text: "SIP registration of " + addressOfRecord.text + " expired"))
            actions.append(.removeRegistration(addressOfRecord: addressOfRecord, dictionaryKey: configuration.nodeId))
        }
        answered.expire(now: now)
        actions += expirePendingStores(now: now)
        actions += expireTransactions(now: now)
        return actions
    }

    /// The earliest time `tick` has something to do, for the event loop's timeout.
    public var nextDeadline: WallTime? {
        let candidates = [registrations.nextExpiry, transactions.nextDeadline, answered.nextExpiry, pendingStores.map { $0.deadline }.min()]
        return candidates.compactMap { $0 }.min()
    }

    public var registrationCount: Int { registrations.bindingCount }
    public var transactionCount: Int { transactions.entries.count }

    /// The live contacts of `addressOfRecord` at this front.
    public func contacts(of addressOfRecord: AddressOfRecord, now: WallTime) -> [SIPURI] {
        return registrations.bindings(of: addressOfRecord).filter { $0.expiresAt > now }.map { $0.contact.uri }
    }

    // MARK: Dispatch

    mutating func receive(_ bytes: [UInt8], from hop: SIPHop, now: WallTime) -> [SIPFrontAction] {
        let message: SIPMessage
        do {
            message = try SIPMessage.parse(datagram: bytes)
        } catch {
            return answerUnparsable(bytes, error, from: hop)
        }
        guard message.isRequest else { return handleResponse(message, from: hop, now: now) }
        do {
            return try handleRequest(message, from: hop, now: now)
        } catch {
            // RFC 3261 §21.4.1: the reason phrase names the syntax problem.
            guard let top = message.via.first, top.branch != nil else { return [log(.debug, "invalid request without a branch dropped")] }
            return answer(message, to: hop, branch: SIPFront.transactionKey(top), status: error.statusCode, reason: error.reasonPhrase, now: now)
        }
    }

    mutating func handleRequest(_ received: SIPMessage, from hop: SIPHop, now: WallTime) throws(SIPError) -> [SIPFrontAction] {
        // RFC 3261 §8.1.1.7, §17.2.3: transactions are matched by the branch and sent-by of
        // the top Via (and the method); we serve RFC 3261 clients only (RFC 2543 matching
        // rules are not implemented).
        guard let top = received.via.first, top.hasRFC3261Branch, let method = received.method else {
            throw .malformedHeader(field: "Via", reason: "no RFC 3261 branch")
        }
        let branch = SIPFront.transactionKey(top)
        var request = received
        // RFC 3261 §18.2.1, RFC 3581 §4: note where the phone really sent from.
        if case .phone(let address) = hop { request.markReceived(host: address.host, port: address.port) }
        if let response = answered.response(hop: hop, branch: branch, method: method, now: now) {
            return [send(response, to: hop)]
        }
        if let actions = absorbRetransmission(request, from: hop, branch: branch) { return actions }
        if let actions = refuseOverBudget(request, from: hop, branch: branch, method: method, now: now) { return actions }
        if method == .register { return try handleRegister(request, from: hop, branch: branch, now: now) }
        if method == .cancel { return handleCancel(request, from: hop, branch: branch, now: now) }
        return try handleProxy(request, from: hop, branch: branch, now: now)
    }

    /// A retransmission of a request we are working on (RFC 3261 §17.2.1, §17.2.2): answered
    /// with the last response we sent, or absorbed. nil for a new request.
    func absorbRetransmission(_ request: SIPMessage, from hop: SIPHop, branch: [UInt8]) -> [SIPFrontAction]? {
        let method = request.cseq.method
        guard method != .cancel else { return nil }
        if let index = transactions.index(upstream: hop, branch: branch, method: method == .ack ? .invite : method) {
            // §17.1.1.3: the ACK of a non-2xx final response ends at this hop; we sent our own
            // ACK downstream when the response came.
            if method == .ack { return [] }
            if let last = transactions[index].lastUpstreamResponse { return [send(last, to: hop)] }
            return []
        }
        if method == .register && pendingStores.contains(where: { $0.hop == hop && $0.branch == branch }) { return [] }
        return nil
    }

    /// The server transaction key of §17.2.3 (branch, sent-by host and port; the method is
    /// compared apart): what the tables call `branch`.
    static func transactionKey(_ top: SIPVia) -> [UInt8] {
        var key = top.branch ?? []
        key.append(0)
        key += top.host
        key.append(0)
        let port = top.port ?? 0
        key.append(UInt8(port >> 8))
        key.append(UInt8(port & 0xff))
        return key
    }

    // MARK: Output helpers

    func send(_ bytes: [UInt8], to hop: SIPHop) -> SIPFrontAction {
        switch hop {
        case .phone(let address): return .sendToPhone(bytes, address)
        case .peer(let peer): return .sendThroughOverlay(bytes, toPeer: peer)
        }
    }

    func log(_ level: SIPFrontLogLevel, _ text: String) -> SIPFrontAction {
        return .log(level: level, text: "SIP front: " + text)
    }

    /// A response of our own to `request` (not to an ACK: ACKs are never answered, RFC 3261
    /// §17.1.1.3), remembered for retransmissions of the request unless it is provisional.
    mutating func answer(
        _ request: SIPMessage, to hop: SIPHop, branch: [UInt8], status: Int, reason: String, now: WallTime,
        edit: (inout SIPMessage) -> Void = { _ in }
    ) -> [SIPFrontAction] {
        guard request.method != .ack else { return [log(.debug, "ACK dropped: " + reason)] }
        var response = SIPMessage.response(to: request, statusCode: status, reason: Array(reason.utf8), toTag: tag(branch: branch, request))
        edit(&response)
        let bytes = response.serialize()
        if status >= 200 { answered.remember(hop: hop, branch: branch, method: request.cseq.method, response: bytes, now: now) }
        return [send(bytes, to: hop)]
    }
}
