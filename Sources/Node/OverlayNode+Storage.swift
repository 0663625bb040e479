import Chord
import Crypto
import Reload
import Storage
import Wire

// The storage requests a peer answers (RFC 6940 §7.4): Store, Fetch, Stat, Find, for the
// Resource-IDs it is responsible for (§10.1) or holds replicas of (§10.4). Every answer is
// sent after the backend transaction committed (DataStore returns only then).
extension OverlayNode {
    /// §7.4.1.1: a primary Store (replica_number 0) only where we are responsible; a replica
    /// Store from a plausible sender (`ChordTable.isPlausibleReplicaSender`, checked by the
    /// DataStore). After a primary Store, replicas go to our first replication-factor − 1
    /// successors.
    func handleStore(_ request: StoreReq, _ incoming: IncomingRequest, now: NodeTime) {
        guard let key = RingId(bytes: request.resource.bytes) else {
            refuse(incoming, .invalidRequest("Resource-ID is not 16 bytes (CHORD-RELOAD, §10.2)"), now: now)
            return
        }
        if request.replicaNumber == 0 && !topology.isResponsible(for: key) {
            refuse(incoming, .notFound, "not responsible for this Resource-ID", now: now)
            return
        }
        // The signer's Store budget; not for replicas and hand-offs (maintenance, whose values
        // were admitted where they were first stored), nor for our own Stores.
        if request.replicaNumber == 0 && incoming.link != OverlayNode.loopbackLink,
            let refusal = admission.admitStore(owner: incoming.signer.owner, now: now)
        {
            count(refusal)
            refuse(incoming, OverlayNode.refusalCode, refusal.reason, now: now)
            return
        }
        let plausible = request.replicaNumber > 0 && phase == .joined
            && chord.isPlausibleReplicaSender(ring(incoming.originator), resource: key, replicationFactor: configuration.replicationFactor)
        let requestSigner = StorageSigner(identity: incoming.signer, nodeId: incoming.originator.bytes)
        var resolver = certificates.makeResolver(records: records, now: now)
        let stored: StoreAns
        do throws(StorageRefusal) {
            stored = try records.store(
                request, requestSigner: requestSigner, replicaSenderIsPlausible: plausible, resolver: &resolver,
                now: now.wall)
        } catch {
            certificates.keep(resolver)
            refuse(incoming, error, now: now)
            return
        }
        certificates.keep(resolver)
        counters.storesAccepted += 1
        let answerBody = request.replicaNumber == 0 ? replicate(request, stored, now: now) : stored
        answer(incoming, body: .storeAnswer(answerBody), now: now)
    }

    /// §10.4: the Store again to each replica target, with the generation counters we now hold
    /// (a replica Store must carry them, §7.4.1.1); the StoreAns lists the targets (§7.4.1.2).
    func replicate(_ request: StoreReq, _ stored: StoreAns, now: NodeTime) -> StoreAns {
        var kindData = request.kindData
        for index in kindData.indices {
            if let response = stored.kindResponses.first(where: { $0.kind == kindData[index].kind }) {
                kindData[index].generationCounter = response.generationCounter
            }
        }
        let carried = valueCertificates(kindData.flatMap { $0.values.values ?? [] }, now: now)
        let key = RingId(bytes: request.resource.bytes)!
        var replicas: [NodeId] = []
        for (index, target) in chord.replicaTargets(replicationFactor: configuration.replicationFactor).enumerated() {
            let number = UInt8(clamping: index + 1)
            let replica = StoreReq(resource: request.resource, replicaNumber: number, kindData: kindData)
            let peer = NodeId(bytes: target.bytes)!
            let retry = HandoffJob.replica(of: key, to: peer, number: number)
            if startRequest(to: [.node(peer)], body: .storeRequest(replica), purpose: .replicate(retry), now: now,
                            certificates: carried) != nil {
                replicas.append(peer)
            } else {
                take(replication.retry(retry, now: now))
            }
        }
        var answer = stored
        for index in answer.kindResponses.indices { answer.kindResponses[index].replicas = replicas }
        return answer
    }

    /// §7.4.2: answered by the responsible peer and by the replicas (a requester falls back to
    /// them); the values' certificates go into the answer's security block (§6.3.4).
    func handleFetch(_ request: FetchReq, _ incoming: IncomingRequest, now: NodeTime) {
        guard holdsRecords(for: request.resource) else { return notResponsible(incoming, now: now) }
        do throws(StorageRefusal) {
            let fetched = try records.fetch(request, now: now.wall)
            let carried = valueCertificates(fetched.kindResponses.flatMap { $0.values.values ?? [] }, now: now)
            answer(incoming, body: .fetchAnswer(fetched), now: now, certificates: carried)
        } catch {
            refuse(incoming, error, now: now)
        }
    }

    /// §7.4.3: like Fetch, as metadata.
    func handleStat(_ request: StatReq, _ incoming: IncomingRequest, now: NodeTime) {
        guard holdsRecords(for: request.resource) else { return notResponsible(incoming, now: now) }
        do throws(StorageRefusal) {
            let statted = try records.stat(request, now: now.wall)
            answer(incoming, body: .statAnswer(statted), now: now)
        } catch {
            refuse(incoming, error, now: now)
        }
    }

    /// §7.4.4.2: "If the processing peer is not responsible for the specified Resource-ID, it
    /// SHOULD return an Error_Not_Found error code."
    func handleFind(_ request: FindReq, _ incoming: IncomingRequest, now: NodeTime) {
        guard let key = RingId(bytes: request.resource.bytes), topology.isResponsible(for: key) else {
            return notResponsible(incoming, now: now)
        }
        do throws(StorageRefusal) {
            let found = try records.find(request)
            answer(incoming, body: .findAnswer(found), now: now)
        } catch {
            refuse(incoming, error, now: now)
        }
    }

    /// Responsible (§10.1), or one of the replicas (§10.4: within r predecessors, §10.7.3).
    func holdsRecords(for resource: ResourceId) -> Bool {
        guard phase == .joined, let key = RingId(bytes: resource.bytes) else { return false }
        return chord.isResponsible(for: key) || !chord.isOutsideReplicaSet(key, replicationFactor: configuration.replicationFactor)
    }

    func notResponsible(_ incoming: IncomingRequest, now: NodeTime) {
        refuse(incoming, .notFound, "this peer neither is responsible for nor replicates this Resource-ID", now: now)
    }

    /// The RFC error for a refusal (StorageRefusal.errorResponse: §7.4.1.2 error_info included).
    func refuse(_ incoming: IncomingRequest, _ refusal: StorageRefusal, now: NodeTime) {
        let response = refusal.errorResponse()
        if case .storage(let failure) = refusal { log(.error, "storage failed: " + failure.description) }
        counters.storesRefused += 1
        counters.countErrorSent(response.code)
        answer(incoming, body: .error(response), now: now)
    }
}
