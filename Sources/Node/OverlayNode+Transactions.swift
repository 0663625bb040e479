import Chord
import Crypto
import Reload
import Wire

/// Why `beginRequest` did not send a request.
enum RequestRefusal: Error, Equatable {
    case tableFull
    /// Over max-message-size (§6.6): the caller may split it.
    case tooLarge(Int)
    case notBuilt
}

// Originating messages: signing (RFC 6940 §6.3.4), the first hop (§6.2.1), and end-to-end
// retransmission with the same transaction id (§6.2.1).
extension OverlayNode {
    /// A signed message with a fresh header: TTL initial-ttl, our configuration sequence.
    /// `certificates` are added after ours: those of stored values the message carries (§6.3.4).
    func buildMessage(
        destination: [Destination], body: MessageBody, transactionId: UInt64, certificates: [[UInt8]] = []
    ) -> [UInt8]? {
        let header = ForwardingHeader(
            overlay: configuration.overlayHash, configurationSequence: configuration.configurationSequence,
            ttl: configuration.initialTTL, transactionId: transactionId, destinationList: destination)
        var message = Message(
            header: header, contents: MessageContents(body: body),
            securityBlock: SecurityBlock(certificates: [], signature: .synthesized))
        do throws(ReloadError) {
            try message.sign(
                key: identity.privateKey, identity: identity.signerIdentity,
                certificates: identity.genericCertificates + certificates.map { GenericCertificate(certificate: $0) },
                random: random)
            return try message.encode()
        } catch {
            log(.error, "cannot build \(body.code.rfcName): \(error.description)")
            return nil
        }
    }

    /// The link a message for `destination` leaves on: the node itself when it is linked
    /// (§6.1.2: "If the first entry on the Destination List is in the peer's Connection Table,
    /// the peer MUST forward the message to that peer directly"), else the CHORD-RELOAD next
    /// hop (§10.3). Nil when this node is responsible or knows no route.
    func firstHop(toward destination: Destination) -> LinkId? {
        switch destination {
        case .node(let target):
            if let link = links.link(to: target) { return link }
            guard target.length == NodeConfiguration.nodeIdLength else { return nil }
            return chordHop(ring(target))
        case .resource(let resource):
            guard let key = RingId(bytes: resource.bytes) else { return nil }
            return chordHop(key)
        case .opaque, .compressed:
            return nil
        }
    }

    func chordHop(_ key: RingId) -> LinkId? {
        let hop = chord.nextHop(toward: key) { [links] candidate in
            links.link(to: NodeId(bytes: candidate.bytes)!) != nil
        }
        switch hop {
        case .local: return nil
        case .peer(let next): return links.link(to: nodeId(next))
        }
    }

    /// Queues `bytes` on the first hop toward `destination`; false (counted) without a route.
    /// A message for this node itself (a request for a Resource-ID we are responsible for,
    /// and its answer) is processed here, as if it had arrived.
    @discardableResult
    func transmit(_ bytes: [UInt8], toward destination: Destination, now: NodeTime) -> Bool {
        guard let link = firstHop(toward: destination) else {
            if classify(destination, isLast: true) == .local && loopbackDepth < OverlayNode.maximumLoopbackDepth {
                loopbackDepth += 1
                defer { loopbackDepth -= 1 }
                receiveLocally(bytes, now: now)
                return true
            }
            counters.droppedNoRoute += 1
            return false
        }
        send(bytes, on: link)
        return true
    }

    /// A request and its answer: two levels; more would be a bug looping.
    static var maximumLoopbackDepth: Int { 4 }

    func receiveLocally(_ bytes: [UInt8], now: NodeTime) {
        guard let decoded = try? ForwardingHeader.decodeForForwarding(bytes, codec) else { return }
        route(decoded.header, payload: bytes[decoded.headerLength...], whole: bytes, from: nodeId, link: OverlayNode.loopbackLink, now: now)
    }

    /// The link number of messages this node sends itself.
    static var loopbackLink: LinkId { -1 }

    func send(_ bytes: [UInt8], on link: LinkId) {
        outbox.append(.send(message: bytes, link: link))
        counters.messagesOut += 1
    }

    /// Starts a request: signs it, remembers it for retransmission and its answer, sends it.
    /// Nil when the transaction table is full (counted), the message is over max-message-size
    /// or signing failed.
    @discardableResult
    func startRequest(
        to destination: [Destination], body: MessageBody, purpose: TransactionTable.Purpose, now: NodeTime,
        on firstLink: LinkId? = nil, certificates: [[UInt8]] = []
    ) -> UInt64? {
        let started = beginRequest(to: destination, body: body, purpose: purpose, now: now, on: firstLink, certificates: certificates)
        guard case .success(let transactionId) = started else {
            if case .failure(.tooLarge(let size)) = started {
                log(.warn, "\(body.code.rfcName) of \(size) bytes is over max-message-size \(configuration.maxMessageSize): not sent")
            }
            return nil
        }
        return transactionId
    }

    func beginRequest(
        to destination: [Destination], body: MessageBody, purpose: TransactionTable.Purpose, now: NodeTime,
        on firstLink: LinkId? = nil, certificates: [[UInt8]] = []
    ) -> Result<UInt64, RequestRefusal> {
        precondition(!destination.isEmpty)
        guard !transactions.isFull else {
            counters.droppedOverLimit += 1
            log(.warn, "transaction table full (\(transactions.capacity)): \(body.code.rfcName) not sent")
            return .failure(.tableFull)
        }
        let transactionId = randomTransactionId()
        guard let bytes = buildMessage(destination: destination, body: body, transactionId: transactionId, certificates: certificates)
        else { return .failure(.notBuilt) }
        if bytes.count > configuration.maxMessageSize {
            counters.droppedOverLimit += 1
            return .failure(.tooLarge(bytes.count))
        }
        guard
            let pending = transactions.begin(
                transactionId, purpose: purpose, message: bytes, destination: destination, firstLink: firstLink, now: now.monotonic)
        else { return .failure(.tableFull) }
        transmitRequest(pending, now: now)
        return .success(transactionId)
    }

    func transmitRequest(_ pending: TransactionTable.Pending, now: NodeTime) {
        if let link = pending.firstLink, links.nodeId(of: link) != nil {
            send(pending.message, on: link)
        } else {
            transmit(pending.message, toward: pending.destination[0], now: now)
        }
    }

    /// §6.2.1: retransmit what is due, same transaction id; after the timer of the last
    /// transmission the request has failed.
    func retransmitDue(now: NodeTime) {
        for transactionId in transactions.due(at: now.monotonic) {
            switch transactions.expire(transactionId, now: now.monotonic) {
            case .failed(let pending)?:
                counters.transactionsFailed += 1
                requestFailed(pending, reason: "no answer after \(pending.transmissions) transmissions", now: now)
            case .retransmit(let pending)?:
                counters.retransmissions += 1
                transmitRequest(pending, now: now)
            case nil:
                continue
            }
        }
    }
}
