import Crypto
import Reload
import Signing

// Checks 2 (with what is stored) to 8 of a Store, in order; see StorePlanner.
extension StorePlanner {
    /// Check 2, with the stored values: the (resource, kind) holds at most max-count values
    /// once this Store is done (§7.4.1.1, §13.5.2).
    func checkCounts(_ plan: [PlannedKind]) throws(StorageRefusal) {
        for kind in plan where Int(clamping: kind.state.records) + kind.newRecords > kind.kind.maxCount {
            throw .tooLarge(kind.kind.id, "more values than max-count at this Resource-ID")
        }
    }

    /// Check 3: after this Store, no user whose usage grows holds more than its quota, and the
    /// peer holds at most max-records. Values whose signer is unknown are left to check 4.
    func checkQuota<Transaction: RecordTransaction>(_ plan: [PlannedKind], _ transaction: inout Transaction) throws(StorageRefusal) {
        var deltas: [[UInt8]: (records: Int64, bytes: Int64)] = [:]
        var totalRecords: Int64 = 0
        for value in plan.flatMap({ $0.values }) {
            guard let owner = value.owner else { continue }
            deltas[owner, default: (0, 0)].records += 1
            deltas[owner, default: (0, 0)].bytes += Int64(value.encoded.count)
            totalRecords += 1
            if let existing = value.existing {
                deltas[existing.owner, default: (0, 0)].records -= 1
                deltas[existing.owner, default: (0, 0)].bytes -= Int64(clamping: existing.quotaBytes)
                totalRecords -= 1
            }
        }
        for (owner, delta) in deltas where delta.records > 0 || delta.bytes > 0 {
            let usage = try StorageRefusal.lift { () throws(StorageError) in try transaction.usage(owner: owner) }
            if Int64(clamping: usage.records) + delta.records > Int64(clamping: quota.recordsPerUser)
                || Int64(clamping: usage.bytes) + delta.bytes > Int64(clamping: quota.bytesPerUser)
            {
                throw .quotaExceeded
            }
        }
        let total = try StorageRefusal.lift { () throws(StorageError) in try transaction.totalUsage() }
        if totalRecords > 0 && Int64(clamping: total.records) + totalRecords > Int64(clamping: quota.recordsPerPeer) {
            throw .storeFull
        }
    }

    /// Check 4: every value's signer resolved to a certificate valid now (§7.1), no value
    /// signed anonymously (§7.4.1.1), and, for an original store, the request's signer valid.
    func checkSigners(_ plan: [PlannedKind]) throws(StorageRefusal) {
        for kind in plan {
            for value in kind.values {
                let signature = value.data.signature
                if signature.identity == .none || signature.algorithm == .anonymous {
                    throw .forbidden(kind.kind.id, .anonymousSignature)
                }
                guard let signer = value.signer else { throw .forbidden(kind.kind.id, .unknownSigner) }
                if !signer.isValid(now: now) { throw .forbidden(kind.kind.id, .certificateNotValid) }
            }
            if !isReplica && !requestSigner.isValid(now: now) { throw .forbidden(kind.kind.id, .certificateNotValid) }
        }
    }

    /// Check 5 (§7.3): the value's signer, and for an original store the request's signer,
    /// satisfy the kind's policy for every value.
    func checkAccess(_ plan: [PlannedKind]) throws(StorageRefusal) {
        for kind in plan {
            for value in kind.values {
                guard let signer = value.signer,
                    AccessControl.permits(
                        kind.kind.policy, signer: signer, resource: request.resource, value: value.data.value,
                        nodeIdLength: nodeIdLength)
                else { throw .forbidden(kind.kind.id, .valueSignerNotPermitted) }
                if !isReplica
                    && !AccessControl.permits(
                        kind.kind.policy, signer: requestSigner, resource: request.resource, value: value.data.value,
                        nodeIdLength: nodeIdLength)
                {
                    throw .forbidden(kind.kind.id, .requestSignerNotPermitted)
                }
            }
        }
    }

    /// Check 5b (§11.3.1, §13.3), original stores only: self-signed signers of values under a
    /// user name's Resource-ID keep to the first-come binding of that name (UserNameBinding).
    /// The stored certificates are read only when such a signer is there.
    func checkUserNames<Transaction: RecordTransaction>(_ plan: [PlannedKind], _ transaction: inout Transaction) throws(StorageRefusal) {
        if isReplica { return }
        let bound = plan.filter { UserNameBinding.applies(to: $0.kind.policy) && !$0.values.isEmpty }
        let selfSigned = requestSigner.identity.isSelfSigned
            || bound.contains { $0.values.contains { $0.signer?.identity.isSelfSigned == true } }
        guard selfSigned, !bound.isEmpty else { return }
        let binding = try UserNameBinding.load(resource: request.resource, now: now, &transaction)
        for kind in bound {
            for value in kind.values {
                guard let signer = value.signer else { throw .forbidden(kind.kind.id, .unknownSigner) }
                try binding.check(signer, kind: kind.kind.id, value: value.data.value)
                try binding.check(requestSigner, kind: kind.kind.id, value: nil)
            }
        }
    }

    /// Check 6 (§7.1): each value's signature verifies with its signer's key.
    func checkSignatures(_ plan: [PlannedKind]) throws(StorageRefusal) {
        for kind in plan {
            for value in kind.values {
                guard let signer = value.signer else { throw .forbidden(kind.kind.id, .unknownSigner) }
                do throws(ReloadError) {
                    try value.data.verifySignature(resource: request.resource, kind: kind.kind.id, publicKey: signer.identity.publicKey)
                } catch {
                    throw .forbidden(kind.kind.id, .invalidSignature)
                }
            }
        }
    }

    /// Check 7 (§7, §13.5.3, the stricter reading): a value replacing a stored one has a
    /// strictly greater storage_time. A replica or hand-off Store (replica_number > 0) copies
    /// what another peer holds, value by value (§10.4, §10.7.3: it sends what may be here
    /// already): its values that are not newer are left out, the newer ones stored; only
    /// when none is newer is it refused. Returns the plan without the values left out.
    func checkStorageTimes(_ plan: [PlannedKind]) throws(StorageRefusal) -> [PlannedKind] {
        var kept = plan
        var offered = 0
        var left = 0
        for (index, kind) in plan.enumerated() {
            kept[index].values = []
            for value in kind.values {
                offered += 1
                if let existing = value.liveExisting(now: now) {
                    let stored = try StorageRefusal.lift { () throws(StorageError) in
                        try existing.storedData(model: kind.kind.model, now: now)
                    }
                    if value.data.storageTime <= stored.storageTime {
                        if !isReplica { throw .dataTooOld(kind.kind.id) }
                        left += 1
                        continue
                    }
                }
                kept[index].values.append(value)
            }
        }
        if offered > 0 && left == offered { throw .dataTooOld(plan.first { !$0.values.isEmpty }?.kind.id ?? KindId(0)) }
        return kept
    }

    /// Check 8 (§7.4.1.1, §7.4.1.2): for an original store, a nonzero generation counter
    /// equals the stored one; otherwise the whole request fails and the answer carries the
    /// current counters with empty replica lists.
    func checkGenerations(_ plan: [PlannedKind]) throws(StorageRefusal) {
        if isReplica { return }
        let mismatch = plan.contains { $0.generationCounter != 0 && $0.generationCounter != $0.state.generation }
        if mismatch {
            throw .generationCounterTooLow(StoreAns(kindResponses: plan.map {
                StoreKindResponse(kind: $0.kind.id, generationCounter: $0.state.generation, replicas: [])
            }))
        }
    }
}
