import Reload
import Wire

extension StorePlanner {
    /// Writes a checked plan and returns the StoreAns (§7.4.1.2) with the new generation
    /// counters; the replica lists are empty for the caller (the Node) to fill.
    func apply<Transaction: RecordTransaction>(_ plan: [PlannedKind], _ transaction: inout Transaction) throws(StorageError) -> StoreAns {
        var responses: [StoreKindResponse] = []
        for kind in plan {
            for value in kind.values {
                let certificates = retainedCertificates(value, kind: kind.kind.id)
                let record = StoredRecord(
                    expires: expiry(of: value), owner: value.owner ?? [], certificateKeys: certificates.map { $0.key },
                    storedData: value.encoded)
                try transaction.putRecord(record, at: value.key, certificates: certificates.map { $0.der })
            }
            var generation = kind.state.generation
            if !kind.values.isEmpty {
                // §7.4.1.1: an original store that changes data raises the counter (by 1 per
                // kind here); a replica store takes the counter of the message.
                generation = isReplica ? kind.generationCounter : generation &+ 1
                try transaction.setGeneration(generation, resource: request.resource, kind: kind.kind.id)
            }
            responses.append(StoreKindResponse(kind: kind.kind.id, generationCounter: generation, replicas: []))
        }
        return StoreAns(kindResponses: responses)
    }

    /// The certificates a record keeps (§6.3.4: "a peer storing data is obligated to retain
    /// certificates for the data that it holds"): its signer's, and the certificate a
    /// CERTIFICATE_BY_NODE/USER value holds (§8), so that others' signatures can be checked
    /// with it. Over-long ones are not kept.
    func retainedCertificates(_ value: PlannedValue, kind: KindId) -> [(key: [UInt8], der: [UInt8])] {
        var found: [(key: [UInt8], der: [UInt8])] = []
        if let der = value.signer?.certificateDER, der.count <= StorageLimits.maximumCertificateBytes,
            let key = CertificateKey.key(for: value.data.signature.identity)
        {
            found.append((key, der))
        }
        let data = value.data.value.dataValue
        if (kind == .certificateByNode || kind == .certificateByUser) && data.exists && !data.value.isEmpty
            && data.value.count <= StorageLimits.maximumCertificateBytes
        {
            let key = CertificateKey.key(certificateDER: data.value)
            if !found.contains(where: { $0.key == key }) { found.append((key, data.value)) }
        }
        return found
    }

    /// storage_time plus lifetime (§7; StoredRecord explains why not receipt time). A tombstone (exists = False, §7.4.1.3) lives at least
    /// as long as the value it replaces would have, whatever lifetime it carries, so that the
    /// removed value cannot be replayed into place before it would have expired anyway.
    func expiry(of value: PlannedValue) -> WallTime {
        var expires = StoredRecord.expiry(storageTime: value.data.storageTime, lifetime: value.data.lifetime)
        if !value.data.value.dataValue.exists, let existing = value.liveExisting(now: now) {
            expires = max(expires, existing.expires)
        }
        return expires
    }
}
