import Reload
import Wire

extension DataStore {
    /// Processes a FetchReq (§7.4.2): one FetchKindResponse per specifier, with the kind's
    /// generation counter, the stored values (lifetime = what is left) and synthesized
    /// nonexistent values for requested places that hold nothing.
    public func fetch(_ request: FetchReq, now: WallTime) throws(StorageRefusal) -> FetchAns {
        let responses = try selectAll(request, now: now).map { selection in
            FetchKindResponse(kind: selection.kind, generation: selection.generation, values: selection.values.map { $0.storedData })
        }
        return FetchAns(kindResponses: responses)
    }

    /// Processes a StatReq (§7.4.3): the same selection as Fetch, as metadata.
    public func stat(_ request: StatReq, now: WallTime) throws(StorageRefusal) -> StatAns {
        let responses = try selectAll(request, now: now).map { selection in
            StatKindResponse(kind: selection.kind, generation: selection.generation, values: selection.values.map { $0.metaData })
        }
        return StatAns(kindResponses: responses)
    }

    /// §7.4.2.1: unknown kinds are refused (all listed, §7.4.1.2), then each specifier is
    /// answered from one read snapshot.
    func selectAll(
        _ request: FetchReq, now: WallTime
    ) throws(StorageRefusal) -> [(kind: KindId, generation: UInt64, values: [ValueSelection.Selected])] {
        var found: [StorageKind] = []
        var unknown: [KindId] = []
        for specifier in request.specifiers {
            if let kind = kinds.kind(specifier.kind) { found.append(kind) } else { unknown.append(specifier.kind) }
        }
        if !unknown.isEmpty { throw .unknownKinds(unknown) }
        if request.resource.bytes.count > StorageLimits.maximumResourceIdBytes {
            throw .tooLarge(found.first?.id ?? KindId(0), "Resource-ID longer than this peer stores")
        }
        typealias Answer = [(kind: KindId, generation: UInt64, values: [ValueSelection.Selected])]
        let outcome = try StorageRefusal.lift { () throws(StorageError) -> Result<Answer, StorageRefusal> in
            try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> Result<Answer, StorageRefusal> in
                var answer: Answer = []
                do throws(StorageRefusal) {
                    for (kind, specifier) in zip(found, request.specifiers) {
                        let selection = ValueSelection(resource: request.resource, kind: kind, now: now)
                        let (generation, values) = try selection.select(specifier, &transaction)
                        answer.append((kind.id, generation, values))
                    }
                } catch {
                    if case .storage(let failure) = error { throw failure }
                    return .failure(error)
                }
                return .success(answer)
            }
        }
        return try outcome.get()
    }

    /// Processes a FindReq (§7.4.4) over the resources this peer holds: for each kind, the
    /// closest Resource-ID at or after the requested one going round the ring (so that
    /// "R_n+1 = nearest(1 + R_n)" walks the overlay), or 0 (node-id-length zero bytes) when
    /// none is held or the kind is unknown. A kind listed twice is refused (§7.4.4.1).
    public func find(_ request: FindReq) throws(StorageRefusal) -> FindAns {
        for (index, kind) in request.kinds.enumerated() where request.kinds[..<index].contains(kind) {
            throw .invalidRequest("kind " + String(kind.rawValue) + " twice (§7.4.4.1)")
        }
        if request.resource.bytes.count > StorageLimits.maximumResourceIdBytes {
            throw .tooLarge(request.kinds.first ?? KindId(0), "Resource-ID longer than this peer stores")
        }
        let zero = ResourceId(bytes: [UInt8](repeating: 0, count: nodeIdLength))!
        return try StorageRefusal.lift { () throws(StorageError) -> FindAns in
            try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> FindAns in
                var results: [FindKindData] = []
                for kind in request.kinds {
                    var closest = zero
                    if kinds.kind(kind) != nil {
                        let from = KindState.key(resource: request.resource, kind: kind)
                        let wrap = KindState.key(resource: ResourceId(bytes: [])!, kind: kind)
                        for start in [from, wrap] {
                            guard let entry = try transaction.entries(in: .kinds, from: start, limit: 1).first,
                                let resource = KindState.resource(fromKey: entry.key, kind: kind)
                            else { continue }
                            closest = resource
                            break
                        }
                    }
                    results.append(FindKindData(kind: kind, closest: closest))
                }
                return FindAns(results: results)
            }
        }
    }
}
