import Crypto
import Link
import Node
import Platform
import Reload
import Wire

// Between the link layer and the Node: link events become Node calls, Node actions become
// link calls. Every link is bound to the Node-ID its certificate proves, after the chain was
// checked by the overlay's IdentityVerifier (RFC 6940 §6.6.1, §11.3): roots or self-signed
// policy, validity, revocation, bad nodes, and the Node-ID the Node expected (§6.5.1.11).
extension Peer {
    func handle(_ events: [LinkManagerEvent]) {
        for event in events {
            switch event {
            case .transmit(let bytes, let to):
                guard let address = PeerAddressing.socketAddress(to) else { continue }
                do throws(PlatformError) {
                    _ = try socket.send(bytes, to: address)
                } catch {
                    log(.debug, "send to \(address.description): \(error.description)")
                }
            case .established(let address, let chain, let inbound): established(address, chain: chain, inbound: inbound)
            case .delivered(let message, let from):
                guard let link = linkIds[from] else { continue }
                perform(node.receive(message, on: link, now: Peer.time()))
            case .unresponsive(let address): log(.info, "link to \(describe(address)) unresponsive (no ACKs)")
            case .responsive(let address): log(.info, "link to \(describe(address)) responsive again")
            case .failed(let address, let failure):
                log(.info, "link to \(describe(address)) failed: \(failure.description)")
                linkGone(address)
            case .closed(let address):
                log(.debug, "link to \(describe(address)) closed")
                linkGone(address)
            case .keyLog(let line): writeKeyLog(line)
            }
        }
    }

    func describe(_ address: PeerAddress) -> String {
        let text = PeerAddressing.socketAddress(address)?.description ?? "?"
        guard let link = linkIds[address], let nodeId = linkNodes[link] else { return text }
        return "\(nodeId.hex) at \(text)"
    }

    func established(_ address: PeerAddress, chain: PeerCertificateChain, inbound: Bool) {
        let pending = pendingConnects.removeValue(forKey: address)
        let expected = pending ?? nil
        let now = Peer.time()
        guard let ip = PeerAddressing.ipAddressPort(address) else { return }
        let certificates: [Certificate]
        let verified: VerifiedIdentity
        do throws(CryptoError) {
            var parsed: [Certificate] = []
            for der in chain.certificates { parsed.append(try Certificate(der: der)) }
            certificates = parsed
            if let expected {
                verified = try setup.verifier.verify(chain: certificates, nodeId: expected.bytes, now: now.certificateTime)
            } else {
                verified = try setup.verifier.verify(chain: certificates, now: now.certificateTime)
            }
        } catch {
            refuse(address, ip: ip, expected: expected, wasConnecting: pending != nil, reason: error.description)
            return
        }
        guard let nodeId = expected ?? verified.nodeIds.first.flatMap({ NodeId(bytes: $0) }), nodeId != node.nodeId else {
            refuse(address, ip: ip, expected: expected, wasConnecting: pending != nil, reason: "no usable Node-ID (or our own)")
            return
        }
        let link = linkIds[address] ?? allocateLinkId()
        linkIds[address] = link
        addresses[link] = address
        linkNodes[link] = nodeId
        linkChains[link] = certificates
        log(.info, "link up with \(nodeId.hex) (\(verified.userName)) at \(ip.text)\(inbound ? ", inbound" : "")")
        perform(node.linkUp(link, nodeId: nodeId, userName: verified.userName, address: ip, inbound: inbound, now: now))
    }

    func allocateLinkId() -> LinkId {
        let link = nextLinkId
        nextLinkId += 1
        return link
    }

    func refuse(_ address: PeerAddress, ip: IpAddressPort, expected: NodeId?, wasConnecting: Bool, reason: String) {
        linksRefused += 1
        lastRefusal = "\(ip.text): \(reason)"
        log(.warn, "link from \(ip.text) refused: \(reason)")
        handle(links.close(address, now: Peer.time().monotonic))
        if wasConnecting {
            perform(node.connectFailed(address: ip, expectedNodeId: expected, now: Peer.time()))
        }
    }

    /// A link failed or closed: the Node loses it, or a connect it asked for failed.
    func linkGone(_ address: PeerAddress) {
        let now = Peer.time()
        if let link = linkIds.removeValue(forKey: address) {
            addresses[link] = nil
            linkNodes[link] = nil
            linkChains[link] = nil
            perform(node.linkDown(link, now: now))
        }
        if let expected = pendingConnects.removeValue(forKey: address), let ip = PeerAddressing.ipAddressPort(address) {
            perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now))
        }
    }

    /// After a new revocation list: a link whose certificate is now refused is closed.
    func recheck(_ link: LinkId, address: PeerAddress) {
        guard let chain = linkChains[link], let nodeId = linkNodes[link] else { return }
        do throws(CryptoError) {
            _ = try setup.verifier.verify(chain: chain, nodeId: nodeId.bytes, now: Peer.time().certificateTime)
        } catch {
            log(.warn, "link with \(nodeId.hex) closed: \(error.description)")
            handle(links.close(address, now: Peer.time().monotonic))
        }
    }

    func perform(_ actions: [NodeAction]) {
        for action in actions {
            switch action {
            case .send(let message, let link):
                guard let address = addresses[link] else { continue }
                do throws(LinkRefusal) {
                    handle(try links.send(message, to: address, now: Peer.time().monotonic))
                } catch {
                    log(.debug, "message to \(describe(address)) not sent: \(error.description)")
                }
            case .connect(let ip, let expected): connect(ip, expected: expected)
            case .close(let link):
                guard let address = addresses[link] else { continue }
                handle(links.close(address, now: Peer.time().monotonic))
            case .log(let level, let text): log(level, text)
            case .completed(let handle, let result): completed(handle, result)
            case .openAppLink(let application, let peer, let address): openAppLink(application, peer: peer, address: address)
            }
        }
    }

    func connect(_ ip: IpAddressPort, expected: NodeId?) {
        let address = PeerAddressing.peerAddress(ip)
        let now = Peer.time()
        if address == ownAddress {
            perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now))
            return
        }
        if let link = linkIds[address], let nodeId = linkNodes[link] {
            // One DTLS association per address: the link is already up.
            if let expected, expected != nodeId {
                perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now))
            } else {
                perform(node.linkUp(link, nodeId: nodeId, userName: "", address: ip, inbound: false, now: now))
            }
            return
        }
        if pendingConnects[address] != nil { return }
        pendingConnects[address] = expected
        do throws(LinkRefusal) {
            handle(try links.connect(to: address, now: now.monotonic))
        } catch {
            pendingConnects[address] = nil
            log(.debug, "connect to \(ip.text) refused: \(error.description)")
            perform(node.connectFailed(address: ip, expectedNodeId: expected, now: now))
        }
    }

    func writeKeyLog(_ line: String) {
        guard let path = setup.keyLogPath else { return }
        do throws(PlatformError) {
            try FileSystem.append(path, Array((line + "\n").utf8), mode: 0o600)
        } catch {
            log(.warn, "key log: \(error.description)")
        }
    }
}
