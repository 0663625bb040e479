import Chord
import Crypto
import Reload
import Signing
import Storage
import Wire

// The certificate store usage (RFC 6940 §8) and the certificates of signatures (§6.3.4).
//
// Publication: once joined, a node stores its certificate under CERTIFICATE_BY_NODE at
// H(Node-ID), array index 0, with `certificateLifetimeSeconds`, and stores it again when half
// of that has passed (after a failure: 2 s doubling to 60 s). Index 0 holds the current
// certificate: a renewed one replaces it (values signed with the old one carry it, or are in
// their holders' certificate tables).
//
// Use: a signature is checked with the certificate its message carries, else one this node
// verified lately, else one its record store keeps (§6.3.4: a storing peer retains the
// certificates of the data it holds; CERTIFICATE_BY_* values). When none has it, the node
// fetches CERTIFICATE_BY_NODE of the Node-ID the signer must have: a request's originator (the
// request waits, bounded), the dictionary key of a USER-NODE-MATCH value (§7.3.3; the fetch
// waits). A certificate from the overlay is believed only after the IdentityVerifier checked
// it (chain to the overlay's root, validity, revocation), as one from a security block.
extension OverlayNode {
    /// §8: CERTIFICATE_BY_NODE of `nodeId` lives at H(Node-ID) (SHA-1, the overlay's hash,
    /// truncated to the Resource-ID length, §10.2), "to avoid making a peer responsible for
    /// its own data".
    public static func certificateResource(of nodeId: NodeId) -> ResourceId {
        return ResourceId(bytes: Array(SHA1.hash(nodeId.bytes).prefix(NodeConfiguration.nodeIdLength)))!
    }

    func signerResolver(now: NodeTime) -> NodeSignerResolver<Backend> {
        return NodeSignerResolver(cache: certificates, records: records, verifier: verifier, certificateTime: now.certificateTime)
    }

    func startCertificatePublication(now: NodeTime) {
        certificateProgress.nextPublication = now.monotonic.adding(
            milliseconds: configuration.certificatePublicationDelayMilliseconds + jitter(1000))
    }

    /// Stores our certificate when it is due (§8).
    func publishCertificateIfDue(now: NodeTime) {
        guard let due = certificateProgress.nextPublication, due <= now.monotonic, !certificateProgress.publishing else { return }
        // No deadline while the Store is in flight: its end sets the next one.
        certificateProgress.nextPublication = nil
        let resource = OverlayNode.certificateResource(of: nodeId)
        let value = StoredDataValue.array(ArrayEntry(index: 0, value: DataValue(value: identity.certificateChain[0])))
        let signed: StoredData
        do throws(ReloadError) {
            signed = try StoredData.signed(
                resource: resource, kind: .certificateByNode, storageTime: storage.nextStorageTime(wallMilliseconds: now.wallMilliseconds),
                lifetime: configuration.certificateLifetimeSeconds, value: value, identity: identity.signerIdentity,
                key: identity.privateKey, random: random)
        } catch {
            log(.error, "cannot sign our certificate for CERTIFICATE_BY_NODE: " + error.description)
            return certificatePublicationEnded(success: false, reason: error.description, now: now)
        }
        let request = StoreReq(resource: resource, replicaNumber: 0, kindData: [
            StoreKindData(kind: .certificateByNode, generationCounter: 0, values: [signed])
        ])
        certificateProgress.publishing = true
        if startRequest(to: [.resource(resource)], body: .storeRequest(request), purpose: .publishCertificate, now: now) == nil {
            certificatePublicationEnded(success: false, reason: "not sent", now: now)
        }
    }

    func certificatePublicationEnded(success: Bool, reason: String, now: NodeTime) {
        certificateProgress.publishing = false
        let delay: UInt64
        if success {
            counters.certificatePublications += 1
            certificateProgress.publicationFailures = 0
            delay = UInt64(configuration.certificateLifetimeSeconds) * 1000 / 2
            log(.info, "certificate stored under CERTIFICATE_BY_NODE at \(Hex.encode(OverlayNode.certificateResource(of: nodeId).bytes))")
        } else {
            counters.certificatePublicationsFailed += 1
            delay = certificateProgress.retryMilliseconds + jitter(1000)
            certificateProgress.publicationFailures += 1
            log(.info, "storing our certificate failed (\(reason)): again in \(delay) ms")
        }
        certificateProgress.nextPublication = now.monotonic.adding(milliseconds: delay)
    }

    /// Fetches CERTIFICATE_BY_NODE of `nodeId` (§8) unless that is under way; false when it
    /// is neither under way nor could be started.
    @discardableResult
    func lookUpCertificate(of nodeId: NodeId, now: NodeTime) -> Bool {
        if certificateProgress.lookups.contains(nodeId) { return true }
        guard certificateProgress.lookups.count < configuration.maximumCertificateLookups, phase == .joined else { return false }
        let resource = OverlayNode.certificateResource(of: nodeId)
        let all = StoredDataSpecifier(
            kind: .certificateByNode, generation: 0,
            modelSpecifier: .array(indices: [ArrayRange(first: 0, last: StorageLimits.lastArrayIndex)]))
        certificateProgress.lookups.insert(nodeId)
        counters.certificateLookups += 1
        let request = FetchReq(resource: resource, specifiers: [all])
        if startRequest(to: [.resource(resource)], body: .fetchRequest(request), purpose: .certificateLookup(nodeId), now: now) == nil {
            certificateProgress.lookups.remove(nodeId)
            return false
        }
        return true
    }

    /// A lookup ended (`answer` nil: it failed): the certificates found are learned, and what
    /// waited for them is taken up again.
    func certificateLookupEnded(_ nodeId: NodeId, answer: FetchAns?, now: NodeTime) {
        certificateProgress.lookups.remove(nodeId)
        if let answer { _ = learnCertificateValues(answer, now: now) }
        let waiting = certificateProgress.parked.filter { $0.awaited == nodeId }
        certificateProgress.parked.removeAll { $0.awaited == nodeId }
        for message in waiting {
            deliver(message.bytes, header: message.header, headerLength: message.headerLength, from: message.from, link: message.link,
                    now: now, mayPark: false)
        }
        for (handle, progress) in storage.fetches where progress.awaitedCertificates.contains(nodeId) {
            storage.fetches[handle]?.awaitedCertificates.remove(nodeId)
            guard storage.fetches[handle]?.awaitedCertificates.isEmpty == true, let held = progress.heldAnswer else { continue }
            storage.fetches[handle]?.heldAnswer = nil
            fetchAnswered(handle, held.answer, responder: held.responder, now: now)
        }
    }

    /// Certificates that are CERTIFICATE_BY_NODE/USER values of a fetch answer (§8), each
    /// verified like one from a security block, are remembered. Returns how many were new.
    func learnCertificateValues(_ answer: FetchAns, now: NodeTime) -> Int {
        var learned = 0
        for response in answer.kindResponses where response.kind == .certificateByNode || response.kind == .certificateByUser {
            for value in (response.values.values ?? []).prefix(ReloadLimits.certificates) where value.value.dataValue.exists {
                let der = value.value.dataValue.value
                if certificates.contains(certificateDER: der) { continue }
                guard let certificate = try? Certificate(der: der),
                    let verified = try? verifier.verify(chain: [certificate], now: now.certificateTime)
                else { continue }
                certificates.add(verified, certificateDER: der)
                learned += 1
            }
        }
        counters.certificatesFound += learned
        return learned
    }

    /// Keeps a request whose signer's certificate is missing until CERTIFICATE_BY_NODE of its
    /// originator is fetched; false when it cannot wait (no room, no lookup).
    func park(_ message: ParkedMessage, now: NodeTime) -> Bool {
        guard certificateProgress.parked.count < configuration.maximumParkedMessages,
            !certificateProgress.parked.contains(where: { $0.header.transactionId == message.header.transactionId }),
            lookUpCertificate(of: message.awaited, now: now)
        else { return false }
        certificateProgress.parked.append(message)
        return true
    }

    /// The certificates of the values' signers that we know, ours excepted (it is always in the
    /// security block), at most what a security block holds besides ours (§6.3.4).
    func valueCertificates(_ values: [StoredData], now: NodeTime) -> [[UInt8]] {
        var found: [[UInt8]] = []
        let own = identity.certificateChain[0]
        var resolver = signerResolver(now: now)
        defer { certificates = resolver.cache }
        for value in values where found.count < ReloadLimits.certificates - identity.certificateChain.count {
            guard value.signature != .synthesized, let der = resolver.certificate(for: value.signature.identity),
                der != own, !found.contains(der)
            else { continue }
            found.append(der)
        }
        return found
    }

    /// Verifies the certificates of a message's security block that we do not know yet, and
    /// keeps those that chain to the overlay's trust anchors (§6.3.4, §7.4.2.2).
    func learnCertificates(_ carried: [GenericCertificate], now: NodeTime) {
        for generic in carried.prefix(CertificateCache.learnedPerMessage) where generic.type == GenericCertificate.x509 {
            if certificates.contains(certificateDER: generic.certificate) { continue }
            do throws(CryptoError) {
                let verified = try verifier.verify(chain: [Certificate(der: generic.certificate)], now: now.certificateTime)
                certificates.add(verified, certificateDER: generic.certificate)
            } catch {
                log(.debug, "certificate in a security block refused: " + error.description)
            }
        }
    }
}
