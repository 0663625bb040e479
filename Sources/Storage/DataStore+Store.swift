import Reload
import Wire

extension DataStore {
    /// Processes a StoreReq (§7.4.1) and returns the StoreAns to send, or the refusal to
    /// answer with (`StorageRefusal.errorResponse()`). All kinds are stored or none.
    ///
    /// - requestSigner: who signed the message (the Node verified the message signature).
    /// - replicaSenderIsPlausible: for replica_number > 0, whether the Node found the sender
    ///   plausible: one of its nearest predecessors or successors, for a resource it holds
    ///   (§7.4.1.1, §10.4; `ChordTable.isPlausibleReplicaSender`). Ignored for original stores. For
    ///   replicas the request signer is not held to the access policy (§7.3); the values'
    ///   signers are.
    /// - resolver: finds each value's signer from its SignerIdentity.
    /// - now: receipt time on the wall clock. Values expire at storage_time + lifetime; one
    ///   already expired or with a storage_time from the future is refused (`checkTimes`).
    public mutating func store<Resolver: SignerResolver>(
        _ request: StoreReq, requestSigner: StorageSigner, replicaSenderIsPlausible: Bool, resolver: inout Resolver, now: WallTime
    ) throws(StorageRefusal) -> StoreAns {
        let planner = StorePlanner(
            request: request, kinds: kinds, quota: quota, nodeIdLength: nodeIdLength, now: now, requestSigner: requestSigner)
        let found = try planner.checkKinds(replicaSenderIsPlausible: replicaSenderIsPlausible)
        try planner.checkSizes(found)
        try planner.checkTimes(found)
        let signers = request.kindData.map { data in
            (data.values.values ?? []).map { value in resolver.signer(for: value.signature.identity, now: now) }
        }
        let outcome = try StorageRefusal.lift { () throws(StorageError) -> Result<StoreAns, StorageRefusal> in
            try backend.write { (transaction: inout Backend.Transaction) throws(StorageError) -> Result<StoreAns, StorageRefusal> in
                var plan: [PlannedKind]
                do throws(StorageRefusal) {
                    plan = try planner.load(found, signers: signers, &transaction)
                    try planner.checkCounts(plan)
                    try planner.checkQuota(plan, &transaction)
                    try planner.checkSigners(plan)
                    try planner.checkAccess(plan)
                    try planner.checkUserNames(plan, &transaction)
                    if planner.isReplica {
                        // A copy's values that are here already are left out before their
                        // signatures are checked (cheap first: a hand-off repeats many).
                        plan = try planner.checkStorageTimes(plan)
                        try planner.checkSignatures(plan)
                    } else {
                        try planner.checkSignatures(plan)
                        plan = try planner.checkStorageTimes(plan)
                    }
                    try planner.checkGenerations(plan)
                } catch {
                    if case .storage(let failure) = error { throw failure }
                    return .failure(error)  // nothing was written: the empty transaction commits
                }
                return .success(try planner.apply(plan, &transaction))
            }
        }
        return try outcome.get()
    }
}
