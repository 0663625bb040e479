import Crypto
import Link
import Node
import Reload
import SIP
import SIPFront
import Storage
import Wire

// SIP between peers (RFC 7904 §5.1): "it then uses the overlay to route AppAttach messages
// to each of those Peers. The 'application' field MUST be either 5060 ... the responding Peer
// MUST present a certificate with a Node-ID matching the terminal entry in the destination
// list. Otherwise, the connection MUST NOT be used". The requester of the AppAttach is the
// DTLS server, the answerer connects (RFC 6940 §6.5.1.13); both check the other's
// certificate with the link authenticator and the Node-ID of the AppAttach. "A previously
// established SIP connection MAY be used for a new call": connections are kept until idle.
extension SIPUsage {
    /// A SIP message for another peer: over its connection, or queued while an AppAttach
    /// and the connection after it are under way.
    func sendThroughOverlay(_ bytes: [UInt8], to peer: NodeId, now: NodeTime) {
        if !SIPUsage.isResponse(bytes) { event("SIP to peer \(peer.hex): \(SIPUsage.firstLine(bytes))", now: now) }
        if let address = appLinks.address(of: peer) {
            sendOnAppLink(bytes, to: address, now: now)
            return
        }
        guard waiting[peer] != nil || waiting.count < SIPUsage.peersWaiting, (waiting[peer]?.count ?? 0) < SIPUsage.queuedPerPeer else {
            counters.queuedDropped += 1
            log(.debug, "SIP message for \(peer.hex) dropped: too many waiting for connections")
            return
        }
        waiting[peer, default: []].append(bytes)
        // An AppAttach is under way, or we are connecting after answering theirs.
        guard attaching[peer] == nil, !appLinks.isConnecting(to: peer) else { return }
        let (handle, actions) = node.appAttach(to: peer, application: SIPUsage.application, now: now)
        attaching[peer] = now.monotonic.adding(milliseconds: SIPUsage.attachMilliseconds)
        counters.appAttachesSent += 1
        event("SIP: AppAttach (application \(SIPUsage.application)) to \(peer.hex), routed through the overlay", now: now)
        requests[handle] = .appAttach(peer)
        outbox.append(.node(actions))
    }

    func sendOnAppLink(_ bytes: [UInt8], to address: PeerAddress, now: NodeTime) {
        do throws(LinkRefusal) {
            handle(try appLinks.send(bytes, to: address, expectingReply: SIPUsage.expectsReply(bytes), now: now.monotonic), now: now)
            counters.overlayMessagesOut += 1
        } catch {
            counters.queuedDropped += 1
            log(.debug, "SIP message to \(describe(address)) not sent: \(error.description)")
        }
    }

    /// The AppAttach we sent was answered (its answerer connects to us now) or failed.
    func appAttachCompleted(_ peer: NodeId, _ result: RequestResult, now: NodeTime) {
        if case .appAttached(let responder, _, let addresses) = result, responder == peer {
            let texts = addresses.map { $0.text }.joined(separator: ", ")
            event("SIP: AppAttach answered by \(peer.hex) (its SIP connection address \(texts)); it connects to us", now: now)
            if appLinks.address(of: peer) == nil {
                attaching[peer] = now.monotonic.adding(milliseconds: SIPUsage.connectAfterAnswerMilliseconds)
            }
            return
        }
        event("SIP: AppAttach to \(peer.hex) failed: \(SIPUsage.resultText(result))", now: now)
        counters.appAttachesFailed += 1
        peerUnreachable(peer, now: now)
    }

    /// RFC 7904 / RFC 3261 §21.4.18: requests waiting for that peer are answered 480.
    func peerUnreachable(_ peer: NodeId, now: NodeTime) {
        attaching[peer] = nil
        waiting[peer] = nil
        perform(front.overlayDeliveryFailed(toPeer: peer, now: SIPUsage.frontTime(now)), now: now)
    }

    func expireAttaches(_ now: NodeTime) {
        for (peer, deadline) in attaching where deadline <= now.monotonic {
            event("SIP: no connection from \(peer.hex) after its AppAttach", now: now)
            peerUnreachable(peer, now: now)
        }
    }

    /// We answered an AppAttach (the Node's `.openAppLink`): connect to the requester as the
    /// DTLS client (§6.5.1.13); its certificate must carry `peer`.
    public func openAppLink(to peer: NodeId, at address: IpAddressPort, now: NodeTime) -> [SIPUsageOutput] {
        let target = PeerAddress(address)
        if let bound = appLinks.address(of: peer), bound == target || appLinks.isEstablished(bound) { return [] }
        event("SIP: AppAttach from \(peer.hex): connecting to its SIP connection address \(address.text)", now: now)
        do throws(LinkRefusal) {
            handle(try appLinks.connect(to: target, expecting: peer, now: now.monotonic), now: now)
        } catch {
            event("SIP connection to \(address.text) not opened: \(error.description)", now: now)
        }
        return drain()
    }

    /// A datagram that arrived on the SIP connections' socket.
    public func receive(fromPeer bytes: [UInt8], from address: PeerAddress, now: NodeTime) -> [SIPUsageOutput] {
        handle(appLinks.receive(bytes, from: address, now: now.monotonic), now: now)
        return drain()
    }

    func handle(_ events: [AppLinkEvent], now: NodeTime) {
        for event in events {
            switch event {
            case .transmit(let bytes, let to): outbox.append(.toPeer(bytes, to))
            case .established(let address, let chain, let inbound): established(address, chain: chain, inbound: inbound, now: now)
            case .delivered(let bytes, let from):
                guard let peer = appLinks.peer(at: from)?.identity.nodeId else { continue }
                counters.overlayMessagesIn += 1
                if !SIPUsage.isResponse(bytes) { self.event("SIP from peer \(peer.hex): \(SIPUsage.firstLine(bytes))", now: now) }
                perform(front.received(fromOverlay: bytes, from: peer, now: SIPUsage.frontTime(now)), now: now)
            case .failed(let address, let failure, let ending):
                self.event("SIP connection with \(describe(address, ending)) failed: \(failure.description)", now: now)
                if let peer = ending.peer { peerUnreachable(peer.identity.nodeId, now: now) }
            case .closed(let address, let ending):
                log(.debug, "SIP connection with \(describe(address, ending)) closed")
            case .keyLog(let line): outbox.append(.keyLog(line))
            }
        }
    }

    func describe(_ address: PeerAddress, _ ending: LinkEnding? = nil) -> String {
        let text = address.ipAddressPort?.text ?? "?"
        guard let peer = appLinks.peer(at: address)?.identity.nodeId ?? ending?.peer?.identity.nodeId ?? ending?.expectedNodeId
        else { return text }
        return "\(peer.hex) at \(text)"
    }

    /// RFC 6940 §6.5.1.11: the certificate must be valid in the overlay and carry the Node-ID
    /// we expect: the requester's, when we connected; one we sent an AppAttach to, when it
    /// connected to us. Anyone else's connection is closed.
    func established(_ address: PeerAddress, chain: PeerCertificateChain, inbound: Bool, now: NodeTime) {
        let expected = inbound ? nil : appLinks.expectedNodeId(at: address)
        let outcome = authenticator.authenticate(chain, expected: expected, now: now.certificateTime) { self.attaching[$0] != nil }
        switch outcome {
        case .failure(let refusal):
            counters.connectionsRefused += 1
            log(.warn, "SIP connection from \(address.ipAddressPort?.text ?? "?") refused: \(refusal.description)")
            handle(appLinks.close(address, now: now.monotonic), now: now)
            if let expected { peerUnreachable(expected, now: now) }
        case .success(let identity):
            guard let bound = appLinks.bind(address, to: identity) else { return }
            let peer = bound.identity.nodeId
            attaching[peer] = nil
            event("SIP connection with \(peer.hex) at \(address.ipAddressPort?.text ?? "?") up (DTLS, \(inbound ? "it connected to us" : "we connected"))", now: now)
            for bytes in waiting.removeValue(forKey: peer) ?? [] { sendOnAppLink(bytes, to: address, now: now) }
        }
    }
}
