import Chord
import Crypto
import Reload
import Signing
import Wire

// Messages for this node (RFC 6940 §6.1.1): decoded whole, signature verified (§6.3.4), then
// a request is answered (OverlayNode+Requests) and an answer completes the request it belongs
// to (OverlayNode+Answers).
extension OverlayNode {
    /// `mayPark`: a request without its signer's certificate may wait for a lookup (§8);
    /// false when it comes back from one.
    func deliver(
        _ bytes: [UInt8], header: ForwardingHeader, headerLength: Int, from: NodeId, link: LinkId, now: NodeTime, mayPark: Bool = true
    ) {
        let isRequest = OverlayNode.isRequest(bytes, headerLength: headerLength)
        if isRequest, let cached = transactions.cachedAnswer(for: header.transactionId, now: now.monotonic) {
            // §6.2.1: a retransmitted request gets the answer already sent.
            if link != OverlayNode.loopbackLink { send(cached, on: link) }
            return
        }
        // Budgets and load shedding, before the signature costs anything; not for our own
        // requests (the loopback link), nor again for a parked request that comes back
        // (`mayPark` false: it was admitted when it arrived).
        if isRequest && mayPark && link != OverlayNode.loopbackLink
            && !admitted(header: header, code: OverlayNode.messageCode(bytes, headerLength: headerLength), from: from, link: link, now: now)
        {
            return
        }
        let message: Message
        do throws(ReloadError) {
            message = try Message.decode(bytes, codec)
        } catch {
            if isRequest, let code = error.errorCode {
                answerError(to: header, payload: [], from: from, code: code, text: error.description, now: now)
            } else {
                counters.droppedMalformed += 1
            }
            return
        }
        guard let der = certificates.signerCertificate(of: message, records: records, now: now) else {
            // §8: the originator's CERTIFICATE_BY_NODE may have it.
            let originator: NodeId
            if case .node(let first)? = header.viaList.first { originator = first } else { originator = from }
            let parked = ParkedMessage(bytes: bytes, header: header, headerLength: headerLength, from: from, link: link, awaited: originator)
            if !(mayPark && message.contents.code.isRequest && park(parked, now: now)) { counters.droppedUntrustedSigner += 1 }
            return
        }
        guard let signer = verifiedSigner(of: message, certificateDER: der, now: now, sender: linkPeerOriginated(header, from: from))
        else { return }
        if message.contents.code.isRequest {
            handleRequest(message, signer: signer, from: from, link: link, now: now)
        } else {
            handleAnswer(message, signer: signer, from: from, now: now)
        }
    }

    /// The link's peer when it originated the message (an empty via list: no hop added itself,
    /// §6.1.2), so that what is wrong with it is that peer's doing; nil for forwarded messages
    /// and our own.
    func linkPeerOriginated(_ header: ForwardingHeader, from: NodeId) -> NodeId? {
        return header.viaList.isEmpty && from != nodeId ? from : nil
    }

    /// The message code sits right after the forwarding header; requests have odd codes.
    static func isRequest(_ bytes: [UInt8], headerLength: Int) -> Bool {
        let code = messageCode(bytes, headerLength: headerLength)
        return code != ReloadConstants.errorMessageCode && code & 1 == 1
    }

    /// The message code (§6.3.3), 0 when the message ends before it.
    static func messageCode(_ bytes: [UInt8], headerLength: Int) -> UInt16 {
        guard headerLength >= 0 && headerLength + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[headerLength]) << 8 | UInt16(bytes[headerLength + 1])
    }

    /// §6.3.4: the signer's certificate chains to the overlay's trust anchors (or is a valid
    /// self-signed identity), is valid now and not revoked; the signature verifies with its
    /// key. Failures are dropped and counted, never answered; a bad signature is charged to
    /// `sender`, the link peer that originated the message, if it did.
    func verifiedSigner(of message: Message, certificateDER der: [UInt8], now: NodeTime, sender: NodeId? = nil) -> VerifiedIdentity? {
        let identity: VerifiedIdentity
        do throws(CryptoError) {
            // The signer identity named `der` by its SHA-256 (cert_hash), which is also the
            // verifier's cache key.
            var leafHash: [UInt8]? = nil
            if case .certHash(.sha256, let hash) = message.securityBlock.signature.identity { leafHash = hash }
            identity = try verifier.verify(chain: [Certificate(der: der)], now: now.certificateTime, leafHash: leafHash)
        } catch {
            counters.droppedUntrustedSigner += 1
            log(.debug, "signer refused: \(error.description)")
            return nil
        }
        counters.signaturesVerified += 1
        admission.verified(now: now)
        do throws(ReloadError) {
            try message.verifySignature(publicKey: identity.publicKey)
        } catch {
            counters.droppedBadSignature += 1
            log(.info, "dropped \(message.contents.code.rfcName) with a bad signature (\(error.description))")
            if let sender { perform(topology.charge(sender, .badSignature, now: now), now: now) }
            return nil
        }
        return identity
    }
}
