import Chord
import Crypto
import Reload
import Signing
import Wire

/// Why `beginRequest` did not send a request.
enum RequestRefusal: Error, Equatable {
    case tableFull
    /// Over max-message-size (§6.6): the caller may split it.
    case tooLarge(Int)
    case notBuilt
}

// Originating requests: signing (RFC 6940 §6.3.4), the first hop (§6.2.1), and what the
// Transactions part decides about them over time (§6.2.1 end-to-end retransmission).
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

    /// The first hop of a request: its link when it has one that is still up, else routed.
    /// A routed request avoids the first hops earlier transmissions took (RFC 6940 §6.3.4: an
    /// answer that fails a check means "the request [is] retransmitted"; a path that gave no
    /// answer may hold a node that drops): another path where the table has one.
    ///
    /// A request for a Resource-ID that is sent again goes first straight to the linked peer
    /// nearest after it, our best guess of the responsible node, when that one was not tried:
    /// every routed path ends at the key's predecessor (§10.3), which may be the node that
    /// drops or lies; straight to the responsible node, no forwarder is in the way. (The
    /// signature does not cover the destination list, §6.3.4: the message goes unchanged.)
    /// The first transmission is always routed, so this costs nothing where nothing fails.
    func transmitRequest(_ pending: TransactionTable.Pending, now: NodeTime) {
        if let link = pending.firstLink, topology.links.nodeId(of: link) != nil {
            send(pending.message, on: link)
        } else if !pending.triedFirstHops.isEmpty, pending.destination.count == 1, case .resource(let resource) = pending.destination[0],
            let key = RingId(bytes: resource.bytes),
            let link = topology.linkedSuccessor(of: key, avoiding: pending.triedFirstHops), let peer = topology.links.nodeId(of: link)
        {
            transactions.routed(pending.transactionId, to: peer)
            send(pending.message, on: link)
        } else if let link = topology.firstHop(toward: pending.destination[0], avoiding: pending.triedFirstHops),
            let peer = topology.links.nodeId(of: link)
        {
            transactions.routed(pending.transactionId, to: peer)
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
