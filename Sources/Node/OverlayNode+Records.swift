import Chord
import Crypto
import Reload
import Signing
import Storage
import Wire

// Storage requests of the local user (`p2psip put/get/remove/stat/find` through the control
// socket, RFC 6940 §7.4). Each returns a handle; the result arrives as `.completed`.
//
// Fetch fallback (§7.4.2.2, §10.4, §13.5.4): every returned value is verified; values that
// fail are dropped. When the answer had drops, or the request failed or was refused, the
// node asks the next peer: a Fetch routed to Resource-ID "previous responder + 1", for which
// the previous responder's successor is responsible, i.e. its first replica (and after that
// the second). After a request that got no answer the next attempt goes to the resource
// past it, into its replicas' range: the resource's predecessor is on every path to it (§10.3)
// and may be the node that drops it, while a point past the responsible peer is reached by
// another last hop and its replica holds the records. A negative answer (no value) is asked
// of a replica too before it is believed (`unconfirmedNegativeKinds`). At most
// `maximumFetchAttempts` peers; the result is the first answer without drops that has values,
// else the one with the fewest drops.
extension OverlayNode {
    /// Stores `values` of `kind` at `resource`, each signed by this node (§7.1) with the
    /// next storage_time and `lifetimeSeconds`.
    public func store(
        resource: ResourceId, kind: KindId, values: [StoredDataValue], lifetimeSeconds: UInt32, now: NodeTime
    ) -> (RequestHandle, [NodeAction]) {
        var signed: [StoredData] = []
        for value in values.prefix(ReloadLimits.valuesPerKind) {
            let storageTime = nextStorageTime(now)
            do throws(ReloadError) {
                signed.append(try StoredData.signed(
                    resource: resource, kind: kind, storageTime: storageTime, lifetime: lifetimeSeconds, value: value,
                    identity: identity.signerIdentity, key: identity.privateKey, random: random))
            } catch {
                let handle = newHandle()
                outbox.append(.completed(handle, .failed("cannot sign the value: " + error.description)))
                return (handle, drain())
            }
        }
        let data = StoreKindData(kind: kind, generationCounter: 0, values: signed)
        return storeSigned(resource: resource, kindData: [data], certificates: [], now: now)
    }

    /// Stores values someone else signed (a user's key held by the CLI); `certificates` are
    /// the signers' certificates for the security block (§6.3.4). The request is ours.
    public func storeSigned(
        resource: ResourceId, kindData: [StoreKindData], certificates carried: [[UInt8]], now: NodeTime
    ) -> (RequestHandle, [NodeAction]) {
        let request = StoreReq(resource: resource, replicaNumber: 0, kindData: kindData)
        let extra = Array(carried.prefix(ReloadLimits.certificates - identity.certificateChain.count))
        return local(.resource(resource), body: .storeRequest(request), now: now, certificates: extra)
    }

    public func fetch(resource: ResourceId, specifiers: [StoredDataSpecifier], now: NodeTime) -> (RequestHandle, [NodeAction]) {
        let request = FetchReq(resource: resource, specifiers: specifiers)
        let handle = newHandle()
        // Registered first: when we are responsible, the answer arrives within startRequest.
        fetches[handle] = FetchProgress(request: request, asked: 1, best: nil, lastFailure: nil)
        if startRequest(to: [.resource(resource)], body: .fetchRequest(request), purpose: .local(handle), now: now) == nil {
            fetches[handle]?.lastFailure = .failed("too many requests in flight")
            finishFetch(handle)
        }
        return (handle, drain())
    }

    public func stat(resource: ResourceId, specifiers: [StoredDataSpecifier], now: NodeTime) -> (RequestHandle, [NodeAction]) {
        return local(.resource(resource), body: .statRequest(StatReq(resource: resource, specifiers: specifiers)), now: now)
    }

    public func find(resource: ResourceId, kinds: [KindId], now: NodeTime) -> (RequestHandle, [NodeAction]) {
        return local(.resource(resource), body: .findRequest(FindReq(resource: resource, kinds: kinds)), now: now)
    }

    /// A FetchAns for a local Fetch: verify, then finish or ask the next replica. Values whose
    /// signer's certificate is unknown wait once for the CERTIFICATE_BY_NODE lookups their
    /// dictionary keys name (§7.3.3, §8).
    func fetchAnswered(_ handle: RequestHandle, _ fetched: FetchAns, responder: NodeId, now: NodeTime) {
        guard var progress = fetches[handle] else { return }
        var resolver = certificates.makeResolver(records: records, now: now)
        let verification = FetchVerification.verify(
            fetched, resource: progress.request.resource, kinds: configuration.kinds,
            nodeIdLength: NodeConfiguration.nodeIdLength, resolver: &resolver, now: now.wall)
        certificates.keep(resolver)
        if !progress.lookedUpCertificates {
            let hints = signerHints(fetched, verification)
            if !hints.isEmpty { return awaitCertificates(hints, handle, (responder, fetched), now: now) }
        }
        counters.fetchedValuesDropped += verification.dropCount
        if verification.dropCount > 0 {
            log(.warn, "\(verification.dropCount) value(s) from \(responder.hex) failed verification (\(verification.drops.map { "\($0.reason)" })): asking a replica")
        }
        let negative = OverlayNode.isNegative(verification.answer)
        if let best = progress.best {
            if verification.dropCount < best.dropped || (verification.dropCount == best.dropped && !negative && OverlayNode.isNegative(best.answer)) {
                progress.best = (responder, verification.answer, verification.dropCount)
            }
        } else {
            progress.best = (responder, verification.answer, verification.dropCount)
        }
        let confirm = negative && !progress.confirmingNegative
            && progress.request.specifiers.contains { !configuration.unconfirmedNegativeKinds.contains($0.kind) }
        if confirm { progress.confirmingNegative = true }
        fetches[handle] = progress
        if verification.dropCount == 0 && confirm {
            log(.debug, "no value from \(responder.hex): asking a replica to confirm")
            nextFetchAttempt(handle, after: responder, now: now)
        } else if verification.dropCount == 0 {
            finishFetch(handle)
        } else {
            nextFetchAttempt(handle, after: responder, now: now)
        }
    }

    /// Node-IDs whose certificates would let dropped values verify: the keys of dictionary
    /// values (USER-NODE-MATCH, §7.3.3: the key is the signer's Node-ID) whose signer is unknown.
    func signerHints(_ fetched: FetchAns, _ verification: FetchVerification) -> [NodeId] {
        var hints: [NodeId] = []
        for drop in verification.drops where drop.reason == .unknownSigner && hints.count < configuration.maximumCertificateLookups {
            guard let response = fetched.kindResponses.first(where: { $0.kind == drop.kind }),
                let values = response.values.values, drop.position < values.count,
                case .dictionary(let entry) = values[drop.position].value, entry.key.count == NodeConfiguration.nodeIdLength,
                let hint = NodeId(bytes: entry.key), !hints.contains(hint)
            else { continue }
            hints.append(hint)
        }
        return hints
    }

    /// Holds the answer until the lookups end (`certificateLookupEnded` takes it up again).
    func awaitCertificates(_ hints: [NodeId], _ handle: RequestHandle, _ held: (NodeId, FetchAns), now: NodeTime) {
        fetches[handle]?.lookedUpCertificates = true
        fetches[handle]?.heldAnswer = (held.0, held.1)
        fetches[handle]?.awaitedCertificates = Set(hints)
        for hint in hints where fetches[handle]?.awaitedCertificates.contains(hint) == true {
            if !lookUpCertificate(of: hint, now: now) { fetches[handle]?.awaitedCertificates.remove(hint) }
        }
        // Lookups that could not start, or ended at once (we hold the certificates ourselves).
        if let current = fetches[handle], current.awaitedCertificates.isEmpty, let answer = current.heldAnswer {
            fetches[handle]?.heldAnswer = nil
            fetchAnswered(handle, answer.answer, responder: answer.responder, now: now)
        }
    }

    /// A local Fetch failed at one peer (`responder` when it answered with an error).
    func fetchFailed(_ handle: RequestHandle, _ failure: RequestResult, responder: NodeId?, now: NodeTime) {
        fetches[handle]?.lastFailure = failure
        nextFetchAttempt(handle, after: responder, now: now)
    }

    func nextFetchAttempt(_ handle: RequestHandle, after responder: NodeId?, now: NodeTime) {
        guard var progress = fetches[handle], progress.asked < configuration.maximumFetchAttempts else {
            return finishFetch(handle)
        }
        var destination = Destination.resource(progress.request.resource)
        if let responder, let point = RingId(bytes: responder.bytes) {
            destination = .resource(ResourceId(bytes: point.adding(1).bytes)!)
        } else if let key = RingId(bytes: progress.request.resource.bytes), let spacing = topology.chord.meanSpacing {
            // No answer that passed the checks: aim `asked` mean spacings past the resource.
            destination = .resource(ResourceId(bytes: key.adding(spacing * UInt128(progress.asked)).bytes)!)
        }
        progress.asked += 1
        fetches[handle] = progress
        if startRequest(to: [destination], body: .fetchRequest(progress.request), purpose: .local(handle), now: now) == nil {
            finishFetch(handle)
        }
    }

    /// An answer without a value: no kind has one that exists (§7.2: exists = False stands
    /// for a value that is not there).
    static func isNegative(_ answer: FetchAns) -> Bool {
        return !answer.kindResponses.contains { response in
            (response.values.values ?? []).contains { OverlayNode.exists($0.value) }
        }
    }

    static func exists(_ value: StoredDataValue) -> Bool {
        switch value {
        case .single(let data): return data.exists
        case .array(let entry): return entry.value.exists
        case .dictionary(let entry): return entry.value.exists
        }
    }

    func finishFetch(_ handle: RequestHandle) {
        guard let progress = fetches.removeValue(forKey: handle) else { return }
        if let best = progress.best {
            outbox.append(.completed(handle, .fetched(responder: best.responder, answer: best.answer, dropped: best.dropped, asked: progress.asked)))
        } else {
            outbox.append(.completed(handle, progress.lastFailure ?? .failed("no peer answered")))
        }
    }
}
