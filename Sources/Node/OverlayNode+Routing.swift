import Chord
import Crypto
import Reload
import Wire

// Message receipt and forwarding (RFC 6940 §6.1): header checks first (cheap), then the first
// destination decides: this node (§6.1.1), another node (§6.1.2), or drop (opaque ids: we
// never compress via lists, so we never hand them out).
extension OverlayNode {
    /// A whole RELOAD message arrived on `link` (reassembled by the link layer if it was
    /// fragmented).
    public func receive(_ bytes: [UInt8], on link: LinkId, now: NodeTime) -> [NodeAction] {
        counters.messagesIn += 1
        guard let from = topology.links.nodeId(of: link) else {
            counters.droppedNotForUs += 1
            return drain()
        }
        if topology.isBanned(from, owner: topology.links.owner(of: from), now: now) {
            counters.droppedBanned += 1
            return drain()
        }
        perform(topology.heard(link, now: now), now: now)
        guard topology.links.nodeId(of: link) != nil else { return drain() }  // banned for failed routes just now
        let decoded: (header: ForwardingHeader, headerLength: Int)
        do throws(ReloadError) {
            decoded = try ForwardingHeader.decodeForForwarding(bytes, codec)
        } catch {
            counters.droppedMalformed += 1
            log(.debug, "dropped a message from \(from.hex): \(error.description)")
            // The header is the link peer's own work whatever the message's origin (§6.1.2:
            // each hop rewrites it).
            perform(topology.charge(from, .protocolViolation, now: now), now: now)
            return drain()
        }
        let header = decoded.header
        // §6.1 / §6.3.2: another overlay, or a message that went around in a circle.
        if header.overlay != configuration.overlayHash {
            counters.droppedWrongOverlay += 1
            return drain()
        }
        if header.viaList.contains(.node(nodeId)) {
            counters.droppedLoop += 1
            return drain()
        }
        // A request whose originator is banned goes no further (answers still do: they end
        // requests someone made).
        if case .node(let origin)? = header.viaList.first, OverlayNode.isRequest(bytes, headerLength: decoded.headerLength),
            topology.isBanned(origin, owner: nil, now: now)
        {
            counters.droppedBanned += 1
            return drain()
        }
        route(header, payload: bytes[decoded.headerLength...], whole: bytes, from: from, link: link, now: now)
        return drain()
    }

    /// §6.1: examine the first destination, possibly several times (our own Node-ID is removed
    /// and the next entry examined).
    func route(
        _ header: ForwardingHeader, payload: ArraySlice<UInt8>, whole: [UInt8], from: NodeId, link: LinkId, now: NodeTime
    ) {
        var header = header
        var changed = false
        while let first = header.destinationList.first {
            switch classify(first, isLast: header.destinationList.count == 1) {
            case .local:
                let bytes = changed ? rebuilt(header, payload) : whole
                deliver(bytes, header: header, headerLength: bytes.count - payload.count, from: from, link: link, now: now)
                return
            case .pop:
                header.destinationList.removeFirst()
                changed = true
            case .forward:
                forward(header, payload: payload, from: from, now: now)
                return
            case .drop:
                counters.droppedNotForUs += 1
                return
            }
        }
        counters.droppedMalformed += 1
    }

    enum RoutingCase {
        case local, pop, forward, drop
    }

    func classify(_ destination: Destination, isLast: Bool) -> RoutingCase {
        switch destination {
        case .node(let target):
            if target == nodeId { return isLast ? .local : .pop }
            // §6.2.2: the answer to a request we relayed for a client (§3.2.1) ends here.
            if transactions.isRelaying(for: target) { return isLast ? .local : .drop }
            if target.isWildcard { return .local }
            if topology.links.link(to: target) != nil { return .forward }
            // §6.1.1: a Node-ID in our range that is not ours and not linked: drop.
            if target.length == NodeConfiguration.nodeIdLength && topology.isResponsible(for: ring(target)) { return .drop }
            return .forward
        case .resource(let resource):
            guard let key = RingId(bytes: resource.bytes) else { return .drop }
            if topology.isResponsible(for: key) {
                // §6.1.1: a Resource-ID MUST be the only entry on the destination list.
                return isLast ? .local : .drop
            }
            return .forward
        case .opaque, .compressed:
            return .drop
        }
    }

    /// §6.1.2: decrement the TTL, append the previous hop to the via list, send to the next
    /// hop. TTL exhausted: Error_TTL_Exceeded to the originator of a request.
    func forward(_ header: ForwardingHeader, payload: ArraySlice<UInt8>, from: NodeId, now: NodeTime) {
        var next = header
        if header.ttl == 0 {
            answerError(to: header, payload: payload, from: from, code: .ttlExceeded, text: "TTL exceeded", now: now)
            return
        }
        #if P2PSIP_TEST_MODES
        if configuration.testMisbehaviour == .notFoundWhenForwarding, OverlayNode.isRequest(Array(payload), headerLength: 0) {
            answerError(to: header, payload: payload, from: from, code: .notFound, text: "not found", now: now)
            return
        }
        #endif
        next.ttl = header.ttl - 1
        guard next.viaList.count < ReloadLimits.destinations else {
            counters.droppedOverLimit += 1
            return
        }
        next.viaList.append(.node(from))
        let bytes = rebuilt(next, payload)
        guard let hop = topology.firstHop(toward: next.destinationList[0]), topology.links.nodeId(of: hop) != from else {
            counters.droppedNoRoute += 1
            return
        }
        counters.forwarded += 1
        send(bytes, on: hop)
    }

    func rebuilt(_ header: ForwardingHeader, _ payload: ArraySlice<UInt8>) -> [UInt8] {
        return (try? header.message(payload: payload)) ?? []
    }

    /// Queues `bytes` on the first hop toward `destination`; false (counted) without a route.
    /// A message for this node itself (a request for a Resource-ID we are responsible for,
    /// and its answer) is processed here, as if it had arrived.
    @discardableResult
    func transmit(_ bytes: [UInt8], toward destination: Destination, now: NodeTime) -> Bool {
        guard let link = topology.firstHop(toward: destination) else {
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
}
