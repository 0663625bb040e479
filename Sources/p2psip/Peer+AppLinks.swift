import Crypto
import Link
import Node
import Platform
import Reload
import SIP
import SIPFront
import Wire

// SIP between peers (RFC 7904 §5.1): "it then uses the overlay to route AppAttach messages
// to each of those Peers. The 'application' field MUST be either 5060 ... the responding Peer
// MUST present a certificate with a Node-ID matching the terminal entry in the destination
// list. Otherwise, the connection MUST NOT be used". The requester of the AppAttach is the
// DTLS server, the answerer connects (RFC 6940 §6.5.1.13); both check the other's
// certificate against the overlay's trust and the Node-ID of the AppAttach. "A previously
// established SIP connection MAY be used for a new call": connections are kept until idle.
extension Peer {
    /// A SIP message for another peer: over its connection, or queued while an AppAttach
    /// and the connection after it are under way.
    func sendThroughOverlay(_ bytes: [UInt8], to peer: NodeId) {
        guard let sip else { return }
        if !PeerSIP.isResponse(bytes) { sipEvent("SIP to peer \(peer.hex): \(PeerSIP.firstLine(bytes))") }
        if let address = sip.addressOf[peer] {
            sendOnAppLink(bytes, to: address, sip)
            return
        }
        guard sip.waiting[peer] != nil || sip.waiting.count < PeerSIP.peersWaiting,
            (sip.waiting[peer]?.count ?? 0) < PeerSIP.queuedPerPeer
        else {
            sip.counters.queuedDropped += 1
            log(.debug, "SIP message for \(peer.hex) dropped: too many waiting for connections")
            return
        }
        sip.waiting[peer, default: []].append(bytes)
        // An AppAttach is under way, or we are connecting after answering theirs.
        guard sip.attaching[peer] == nil, !sip.connecting.values.contains(peer) else { return }
        let now = Peer.time()
        let (handle, actions) = node.appAttach(to: peer, application: PeerSIPSetup.application, now: now)
        sip.attaching[peer] = now.monotonic.adding(milliseconds: PeerSIP.attachMilliseconds)
        sip.counters.appAttachesSent += 1
        sipEvent("SIP: AppAttach (application \(PeerSIPSetup.application)) to \(peer.hex), routed through the overlay")
        sipRequests[handle] = .appAttach(peer)
        perform(actions)
    }

    func sendOnAppLink(_ bytes: [UInt8], to address: PeerAddress, _ sip: PeerSIP) {
        do throws(LinkRefusal) {
            handleApp(try sip.appLinks.send(bytes, to: address, expectingReply: PeerSIP.expectsReply(bytes), now: Peer.time().monotonic))
            sip.counters.overlayMessagesOut += 1
        } catch {
            sip.counters.queuedDropped += 1
            log(.debug, "SIP message to \(describeApp(address, sip)) not sent: \(error.description)")
        }
    }

    /// The AppAttach we sent was answered (its answerer connects to us now) or failed.
    func appAttachCompleted(_ peer: NodeId, _ result: RequestResult) {
        guard let sip else { return }
        if case .appAttached(let responder, _, let addresses) = result, responder == peer {
            let texts = addresses.map { $0.text }.joined(separator: ", ")
            sipEvent("SIP: AppAttach answered by \(peer.hex) (its SIP connection address \(texts)); it connects to us")
            if sip.addressOf[peer] == nil {
                sip.attaching[peer] = Peer.time().monotonic.adding(milliseconds: PeerSIP.connectAfterAnswerMilliseconds)
            }
            return
        }
        sipEvent("SIP: AppAttach to \(peer.hex) failed: \(Peer.resultText(result))")
        sip.counters.appAttachesFailed += 1
        peerUnreachable(peer, sip)
    }

    /// RFC 7904 / RFC 3261 §21.4.18: requests waiting for that peer are answered 480.
    func peerUnreachable(_ peer: NodeId, _ sip: PeerSIP) {
        sip.attaching[peer] = nil
        sip.waiting[peer] = nil
        performSIP(sip.front.overlayDeliveryFailed(toPeer: peer, now: PeerSIP.seconds()))
    }

    func expireAttaches(_ now: Instant) {
        guard let sip else { return }
        for (peer, deadline) in sip.attaching where deadline <= now {
            sipEvent("SIP: no connection from \(peer.hex) after its AppAttach")
            peerUnreachable(peer, sip)
        }
    }

    /// We answered an AppAttach: connect to the requester as the DTLS client (§6.5.1.13).
    func openAppLink(_ application: UInt16, peer: NodeId, address: IpAddressPort) {
        guard let sip, application == PeerSIPSetup.application else { return }
        let target = PeerAddressing.peerAddress(address)
        if let bound = sip.addressOf[peer], bound == target || sip.appLinks.isEstablished(bound) { return }
        sipEvent("SIP: AppAttach from \(peer.hex): connecting to its SIP connection address \(address.text)")
        sip.connecting[target] = peer
        do throws(LinkRefusal) {
            handleApp(try sip.appLinks.connect(to: target, now: Peer.time().monotonic))
        } catch {
            sip.connecting[target] = nil
            sipEvent("SIP connection to \(address.text) not opened: \(error.description)")
        }
    }

    func readAppDatagrams(_ sip: PeerSIP) {
        for _ in 0..<Peer.maximumDatagramsPerWakeUp {
            let received: UDPSocket.Received
            do throws(PlatformError) {
                received = try sip.appSocket.receive(into: &receiveBuffer)
            } catch {
                log(.warn, "SIP connection socket: \(error.description)")
                return
            }
            switch received {
            case .none: return
            case .truncated: continue
            case .datagram(let count, let from):
                handleApp(sip.appLinks.receive(Array(receiveBuffer[0..<count]), from: PeerAddressing.peerAddress(from), now: Peer.time().monotonic))
            }
        }
    }

    func handleApp(_ events: [AppLinkEvent]) {
        guard let sip else { return }
        for event in events {
            switch event {
            case .transmit(let bytes, let to):
                guard let address = PeerAddressing.socketAddress(to) else { continue }
                _ = try? sip.appSocket.send(bytes, to: address)
            case .established(let address, let chain, let inbound): appLinkEstablished(address, chain: chain, inbound: inbound, sip)
            case .delivered(let bytes, let from):
                guard let peer = sip.peerAt[from] else { continue }
                sip.counters.overlayMessagesIn += 1
                if !PeerSIP.isResponse(bytes) { sipEvent("SIP from peer \(peer.hex): \(PeerSIP.firstLine(bytes))") }
                performSIP(sip.front.received(fromOverlay: bytes, from: peer, now: PeerSIP.seconds()))
            case .failed(let address, let failure):
                sipEvent("SIP connection with \(describeApp(address, sip)) failed: \(failure.description)")
                if let peer = sip.unbind(address) { peerUnreachable(peer, sip) }
            case .closed(let address):
                log(.debug, "SIP connection with \(describeApp(address, sip)) closed")
                _ = sip.unbind(address)
            case .keyLog(let line): writeKeyLog(line)
            }
        }
    }

    func describeApp(_ address: PeerAddress, _ sip: PeerSIP) -> String {
        let text = PeerAddressing.socketAddress(address)?.description ?? "?"
        guard let peer = sip.peerAt[address] ?? sip.connecting[address] else { return text }
        return "\(peer.hex) at \(text)"
    }

    /// §6.5.1.11: the certificate must be valid in the overlay and carry the Node-ID we
    /// expect: the requester's, when we connected; one we sent an AppAttach to, when it
    /// connected to us. Anyone else's connection is closed.
    func appLinkEstablished(_ address: PeerAddress, chain: PeerCertificateChain, inbound: Bool, _ sip: PeerSIP) {
        let expected = inbound ? nil : sip.connecting.removeValue(forKey: address)
        var peer: NodeId? = nil
        var reason = "no certificate"
        do throws(CryptoError) {
            var certificates: [Certificate] = []
            for der in chain.certificates { certificates.append(try Certificate(der: der)) }
            let time = Peer.time().certificateTime
            if let expected {
                _ = try setup.verifier.verify(chain: certificates, nodeId: expected.bytes, now: time)
                peer = expected
            } else {
                let verified = try setup.verifier.verify(chain: certificates, now: time)
                peer = verified.nodeIds.compactMap { NodeId(bytes: $0) }.first { sip.attaching[$0] != nil }
                reason = "\(verified.userName) is no peer we sent an AppAttach to"
            }
        } catch {
            reason = error.description
        }
        guard let peer else {
            sip.counters.connectionsRefused += 1
            log(.warn, "SIP connection from \(PeerAddressing.socketAddress(address)?.description ?? "?") refused: \(reason)")
            handleApp(sip.appLinks.close(address, now: Peer.time().monotonic))
            if let expected { peerUnreachable(expected, sip) }
            return
        }
        sip.bind(address, to: peer)
        sipEvent("SIP connection with \(peer.hex) at \(PeerAddressing.socketAddress(address)?.description ?? "?") up (DTLS, \(inbound ? "it connected to us" : "we connected"))")
        for bytes in sip.waiting.removeValue(forKey: peer) ?? [] { sendOnAppLink(bytes, to: address, sip) }
    }
}
