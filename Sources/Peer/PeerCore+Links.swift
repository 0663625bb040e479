import Chord
import Crypto
import Link
import Node
import Reload
import SIPFront
import SIPUsage
import Storage
import Wire

// Between the link layer and the Node: link events become Node calls, Node actions become
// link calls. Every link is bound to the Node-ID its certificate proves, after the link
// authenticator checked the chain (RFC 6940 §6.6.1, §11.3): roots or self-signed policy,
// validity, revocation, bad nodes, and the Node-ID the Node expected (§6.5.1.11).
extension PeerCore {
    func handle(_ events: [LinkManagerEvent], now: NodeTime) {
        for event in events {
            switch event {
            case .transmit(let bytes, let to): outbox.append(.transmit(.overlay, bytes, to: to))
            case .established(let address, let chain, let inbound): established(address, chain: chain, inbound: inbound, now: now)
            case .delivered(let message, let from):
                guard let peer = links.peer(at: from) else { continue }
                perform(node.receive(message, on: peer.number, now: now), now: now)
            case .unresponsive(let address): log(.info, "link to \(describe(address)) unresponsive (no ACKs)")
            case .responsive(let address): log(.info, "link to \(describe(address)) responsive again")
            case .failed(let address, let failure, let ending):
                if case .session(.certificateRefused(let refusal)) = failure, let ip = address.ipAddressPort {
                    linksRefused += 1
                    lastRefusal = "\(ip.text): \(refusal.description)"
                }
                log(.info, "link to \(describe(address, ending)) failed: \(failure.description)")
                linkGone(address, ending, now: now)
            case .closed(let address, let ending):
                log(.debug, "link to \(describe(address, ending)) closed")
                linkGone(address, ending, now: now)
            case .keyLog(let line): outbox.append(.keyLog(line))
            }
        }
    }

    func describe(_ address: PeerAddress, _ ending: LinkEnding? = nil) -> String {
        let text = address.ipAddressPort?.text ?? "?"
        guard let nodeId = links.peer(at: address)?.identity.nodeId ?? ending?.peer?.identity.nodeId else { return text }
        return "\(nodeId.hex) at \(text)"
    }

    func established(_ address: PeerAddress, chain: PeerCertificateChain, inbound: Bool, now: NodeTime) {
        let expected = links.link(to: address)?.expectedNodeId
        guard let ip = address.ipAddressPort else { return }
        switch authenticator.authenticate(chain, expected: expected, now: now.certificateTime) {
        case .failure(let refusal):
            refuse(address, ip: ip, reason: refusal.description, now: now)
        case .success(let identity):
            guard let peer = links.bind(address, to: identity) else { return }
            log(.info, "link up with \(identity.nodeId.hex) (\(identity.userName)) at \(ip.text)\(inbound ? ", inbound" : "")")
            perform(
                node.linkUp(peer.number, nodeId: identity.nodeId, userName: identity.userName, owner: identity.owner, address: ip, inbound: inbound, now: now),
                now: now)
        }
    }

    /// The link is closed and its address banned for a while (`LinkManager.refuse`); if the
    /// Node asked for it, its `.closed` ending (not bound, asked
    /// for) tells the Node the connect failed (`linkGone`).
    func refuse(_ address: PeerAddress, ip: IpAddressPort, reason: String, now: NodeTime) {
        linksRefused += 1
        lastRefusal = "\(ip.text): \(reason)"
        log(.warn, "link from \(ip.text) refused: \(reason)")
        handle(links.refuse(address, now: now.monotonic), now: now)
    }

    /// A link failed or closed: the Node loses it, or a connect it asked for failed.
    func linkGone(_ address: PeerAddress, _ ending: LinkEnding, now: NodeTime) {
        if let peer = ending.peer { perform(node.linkDown(peer.number, now: now), now: now) }
        if ending.wasConnecting, let ip = address.ipAddressPort {
            perform(node.connectFailed(address: ip, expectedNodeId: ending.expectedNodeId, now: now), now: now)
        }
    }

    func perform(_ actions: [NodeAction], now: NodeTime) {
        for action in actions {
            switch action {
            case .send(let message, let link):
                guard let address = links.address(ofLink: link) else { continue }
                do throws(LinkRefusal) {
                    handle(try links.send(message, to: address, now: now.monotonic), now: now)
                } catch {
                    log(.debug, "message to \(describe(address)) not sent: \(error.description)")
                }
            case .connect(let ip, let expected): connect(ip, expected: expected, now: now)
            case .close(let link):
                guard let address = links.address(ofLink: link) else { continue }
                handle(links.close(address, now: now.monotonic), now: now)
            case .log(let level, let text): log(level, text)
            case .completed(let handle, let result): completed(handle, result, now: now)
            case .openAppLink(let application, let peer, let address):
                guard let sip, application == SIPFrontLimits.sipApplication else { continue }
                absorb(sip.openAppLink(to: peer, at: address, now: now), now: now)
            }
        }
    }

    func connect(_ ip: IpAddressPort, expected: NodeId?, now: NodeTime) {
        let address = PeerAddress(ip)
        if ip == configuration.advertise {
            perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now), now: now)
            return
        }
        if let peer = links.peer(at: address) {
            // One DTLS association per address: the link is already up.
            if let expected, expected != peer.identity.nodeId {
                perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now), now: now)
            } else {
                perform(
                    node.linkUp(
                        peer.number, nodeId: peer.identity.nodeId, userName: peer.identity.userName, owner: peer.identity.owner, address: ip,
                        inbound: false, now: now),
                    now: now)
            }
            return
        }
        if links.isConnecting(to: address) { return }
        do throws(LinkRefusal) {
            handle(try links.connect(to: address, expecting: expected, now: now.monotonic), now: now)
        } catch {
            log(.debug, "connect to \(ip.text) refused: \(error.description)")
            perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now), now: now)
        }
    }
}
