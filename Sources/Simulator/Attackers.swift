import Chord
import Crypto
import Node
import Reload
import Signing
import Wire

// Insiders: enrolled nodes running the real Node code whose traffic the simulator bends, one
// way per kind (Scenario.AttackerKind). They hold valid certificates, so whatever they send is
// signed by a member of the overlay; what they cannot do is sign as someone else.
//
// A message an attacker sends with a non-empty via list is one it forwards (RFC 6940 §6.1.2:
// each hop adds the previous one to the via list); with an empty via list it is its own request
// or answer.
extension Simulation {
    /// Messages one attacker keeps for replaying (the most recent).
    static let capturedPerAttacker = 32

    /// What attacker `index` really sends instead of `message` on `link`: nil to drop it.
    func attackerSends(_ message: [UInt8], on link: LinkId, from index: Int) -> ([UInt8], LinkId)? {
        guard let kind = nodes[index].attack,
            let (header, headerLength) = try? ForwardingHeader.decodeForForwarding(message, configuration.codec)
        else { return (message, link) }
        let forwarded = !header.viaList.isEmpty
        let isRequest = MessageTraffic.code(of: message, headerLength: headerLength)?.isRequest ?? false
        switch kind {
        case .drop, .sybil, .eclipse:
            return forwarded ? nil : (message, link)
        case .misroute:
            guard forwarded, let other = randomLink(of: index, except: link) else { return (message, link) }
            return (message, other)
        case .notFound:
            guard forwarded && isRequest else { return (message, link) }
            // Back to the previous hop, the last of the via list the attacker has just extended.
            guard case .node(let previous)? = header.viaList.last, let previousIndex = indexOfNodeId[previous],
                let back = linkOfPair[Simulation.pairKey(index, previousIndex)]
            else { return nil }
            answer(header, destination: header.viaList.reversed(), on: back, from: index, to: previousIndex,
                   body: .error(ErrorResponse(code: .notFound, text: "not found")))
            return nil
        case .alter:
            guard !forwarded, !isRequest, let altered = altered(message, by: index) else { return (message, link) }
            return (altered, link)
        case .fakeStore, .replay, .flood:
            return (message, link)
        }
    }

    /// A random open link of node `index` other than `link`.
    func randomLink(of index: Int, except link: LinkId) -> LinkId? {
        let candidates = (linksOfNode[index] ?? []).filter { $0 != link }.sorted()
        guard !candidates.isEmpty else { return nil }
        return candidates[Int(random.below(UInt64(candidates.count)))]
    }

    /// A fake-store attacker answers every StoreReq that ends at it (as responsible peer or as
    /// replica) with success and keeps nothing. True when it took `message` this way.
    func fakesStore(_ message: [UInt8], on link: LinkId, at index: Int) -> Bool {
        guard let connection = links[link], let stored = try? Message.decode(message, configuration.codec),
            case .storeRequest(let request) = stored.contents.body, stored.header.destinationList.count == 1
        else { return false }
        if case .node(let target) = stored.header.destinationList[0], target != nodes[index].identity.nodeId { return false }
        if case .resource = stored.header.destinationList[0],
            !(RingId(bytes: request.resource.bytes).map { nodes[index].node.chord.isResponsible(for: $0) } ?? false) {
            return false
        }
        let sender = connection.other(index)
        let body = MessageBody.storeAnswer(StoreAns(kindResponses: request.kindData.map {
            StoreKindResponse(kind: $0.kind, generationCounter: $0.generationCounter &+ 1, replicas: [])
        }))
        answer(stored.header, destination: [.node(nodes[sender].identity.nodeId)] + stored.header.viaList.reversed(),
               on: link, from: index, to: sender, body: body)
        return true
    }

    /// Keeps a copy of a request an attacker received, to replay later.
    func capture(_ message: [UInt8], by index: Int) {
        guard nodes[index].attack == .replay else { return }
        var kept = captured[index] ?? []
        if kept.count >= Simulation.capturedPerAttacker { kept.removeFirst() }
        kept.append(message)
        captured[index] = kept
    }

    /// A replaying attacker sends one captured message again, to a random neighbour.
    public func replay(from index: Int) {
        guard nodes[index].alive, let kept = captured[index], !kept.isEmpty,
            let link = randomLink(of: index, except: -1), let connection = links[link]
        else { return }
        let message = kept[Int(random.below(UInt64(kept.count)))]
        carry(message, on: link, to: connection.other(index))
    }

    /// An answer attacker `index` makes up to the request `header` (signed with its own key:
    /// it cannot sign as anyone else), sent on `link` to node `target` toward `destination`.
    func answer(
        _ header: ForwardingHeader, destination: [Destination], on link: LinkId, from index: Int, to target: Int, body: MessageBody
    ) {
        let response = ForwardingHeader(
            overlay: header.overlay, configurationSequence: header.configurationSequence, ttl: configuration.initialTTL,
            transactionId: header.transactionId, viaList: [], destinationList: destination)
        guard let bytes = signed(Message(
            header: response, contents: MessageContents(body: body), securityBlock: SecurityBlock(certificates: [], signature: .synthesized)),
            by: index)
        else { return }
        carry(bytes, on: link, to: target)
    }

    /// `message` signed by node `index` (§6.3.4) and encoded.
    func signed(_ message: Message, by index: Int) -> [UInt8]? {
        var message = message
        let identity = nodes[index].identity
        guard let random = try? RandomGenerator(source: .fixed(self.random.bytes(RandomGenerator.minimumFixedSeedBytes))) else { return nil }
        do throws(ReloadError) {
            try message.sign(
                key: identity.privateKey, identity: .certHash(certificateDER: identity.certificateChain[0]),
                certificates: identity.certificateChain.map { GenericCertificate(certificate: $0) }, random: random)
            return try message.encode()
        } catch {
            return nil
        }
    }

    /// An alter attacker's own FetchAns with every value changed (one byte more), re-signed
    /// as a message by the attacker; the values' own signatures (§7.1) no longer match.
    func altered(_ bytes: [UInt8], by index: Int) -> [UInt8]? {
        guard var message = try? Message.decode(bytes, configuration.codec),
            case .fetchAnswer(let answer) = message.contents.body
        else { return nil }
        let changed = answer.kindResponses.map { response -> FetchKindResponse in
            guard let values = response.values.values else { return response }
            return FetchKindResponse(kind: response.kind, generation: response.generation, values: .known(values.map { stored in
                var stored = stored
                stored.value = Simulation.altered(stored.value)
                return stored
            }))
        }
        message.contents = MessageContents(body: .fetchAnswer(FetchAns(kindResponses: changed)))
        return signed(message, by: index)
    }

    static func altered(_ value: StoredDataValue) -> StoredDataValue {
        switch value {
        case .dictionary(let entry):
            return .dictionary(DictionaryEntry(key: entry.key, value: DataValue(exists: true, value: entry.value.value + [0x21])))
        default:
            return value
        }
    }
}
