import Chord
import Crypto
import Reload
import Signing
import Storage
import Wire

// The certificate store usage (RFC 6940 §8) as the CertificateService part decides it: our
// CERTIFICATE_BY_NODE and CERTIFICATE_BY_USER Stores, and the Fetches of others' certificates, with the
// requests and local Fetches that wait for them.
extension OverlayNode {
    /// §8: CERTIFICATE_BY_NODE of `nodeId` lives at H(Node-ID) (SHA-1, the overlay's hash,
    /// truncated to the Resource-ID length, §10.2), "to avoid making a peer responsible for
    /// its own data".
    public static func certificateResource(of nodeId: NodeId) -> ResourceId {
        return CertificateService.resource(of: nodeId)
    }

    /// Stores our certificate when it is due (§8): under CERTIFICATE_BY_NODE and
    /// CERTIFICATE_BY_USER, array index 0, `certificateLifetimeSeconds`.
    func publishCertificateIfDue(now: NodeTime) {
        guard certificates.beginPublication(now: now) else { return }
        storeCertificate(under: certificates.publicationKind, now: now)
    }

    /// One Store of the publication, under `kind`.
    func storeCertificate(under kind: KindId, now: NodeTime) {
        let request: StoreReq
        do throws(ReloadError) {
            request = try CertificateService.publicationRequest(
                kind, identity: identity, storageTime: nextStorageTime(now), lifetime: configuration.certificateLifetimeSeconds,
                random: random)
        } catch {
            log(.error, "cannot sign our certificate for the certificate store: " + error.description)
            return certificatePublicationEnded(success: false, reason: error.description, now: now)
        }
        if startRequest(to: [.resource(request.resource)], body: .storeRequest(request), purpose: .publishCertificate, now: now) == nil {
            certificatePublicationEnded(success: false, reason: "not sent", now: now)
        }
    }

    /// A Store of the publication ended: the next one goes out, or the publication ended.
    func certificatePublicationEnded(success: Bool, reason: String, now: NodeTime) {
        switch certificates.publicationStoreEnded(success: success, now: now) {
        case .store(let kind):
            storeCertificate(under: kind, now: now)
        case .ended(success: true, _):
            counters.certificatePublications += 1
            log(.info, "certificate stored under CERTIFICATE_BY_NODE at \(Hex.encode(CertificateService.resource(of: nodeId).bytes))"
                + " and CERTIFICATE_BY_USER at \(Hex.encode(CertificateService.resource(ofUser: identity.userName).bytes))")
        case .ended(success: false, let delay):
            counters.certificatePublicationsFailed += 1
            log(.info, "storing our certificate failed (\(reason)): again in \(delay) ms")
        }
    }

    /// Fetches CERTIFICATE_BY_NODE of `nodeId` (§8) unless that is under way; false when it
    /// is neither under way nor could be started.
    @discardableResult
    func lookUpCertificate(of nodeId: NodeId, now: NodeTime) -> Bool {
        switch certificates.beginLookup(of: nodeId, joined: phase == .joined) {
        case .underWay: return true
        case .refused: return false
        case .send: break
        }
        counters.certificateLookups += 1
        let resource = CertificateService.resource(of: nodeId)
        let all = StoredDataSpecifier(
            kind: .certificateByNode, generation: 0,
            modelSpecifier: .array(indices: [ArrayRange(first: 0, last: StorageLimits.lastArrayIndex)]))
        let request = FetchReq(resource: resource, specifiers: [all])
        if startRequest(to: [.resource(resource)], body: .fetchRequest(request), purpose: .certificateLookup(nodeId), now: now) == nil {
            certificates.lookupNotSent(of: nodeId)
            return false
        }
        return true
    }

    /// A lookup ended (`answer` nil: it failed): the certificates found are learned, and what
    /// waited for them is taken up again.
    func certificateLookupEnded(_ nodeId: NodeId, answer: FetchAns?, now: NodeTime) {
        let (learned, waiting) = certificates.lookupEnded(of: nodeId, answer: answer, now: now)
        counters.certificatesFound += learned
        for message in waiting {
            deliver(message.bytes, header: message.header, headerLength: message.headerLength, from: message.from, link: message.link,
                    now: now, mayPark: false)
        }
        for (handle, progress) in fetches where progress.awaitedCertificates.contains(nodeId) {
            fetches[handle]?.awaitedCertificates.remove(nodeId)
            guard fetches[handle]?.awaitedCertificates.isEmpty == true, let held = progress.heldAnswer else { continue }
            fetches[handle]?.heldAnswer = nil
            fetchAnswered(handle, held.answer, responder: held.responder, now: now)
        }
    }

    /// Certificates that are CERTIFICATE_BY_NODE/USER values of a fetch answer (§8), verified
    /// and remembered (counted).
    func learnCertificateValues(_ answer: FetchAns, now: NodeTime) {
        counters.certificatesFound += certificates.learnValues(answer, now: now)
    }

    /// Keeps a request whose signer's certificate is missing until CERTIFICATE_BY_NODE of its
    /// originator is fetched; false when it cannot wait (no room, no lookup).
    func park(_ message: ParkedMessage, now: NodeTime) -> Bool {
        guard certificates.mayPark(message), lookUpCertificate(of: message.awaited, now: now) else { return false }
        certificates.park(message)
        return true
    }

    /// The certificates of the values' signers that we know, ours excepted (it is always in the
    /// security block), at most what a security block holds besides ours (§6.3.4).
    func valueCertificates(_ values: [StoredData], now: NodeTime) -> [[UInt8]] {
        return certificates.certificates(
            of: values, own: identity.certificateChain[0], room: ReloadLimits.certificates - identity.certificateChain.count,
            records: records, now: now)
    }

    /// Verifies the certificates of a message's security block that we do not know yet, and
    /// keeps those that chain to the overlay's trust anchors (§6.3.4, §7.4.2.2).
    func learnCertificates(_ carried: [GenericCertificate], now: NodeTime) {
        for refusal in certificates.learn(carried, now: now) {
            log(.debug, "certificate in a security block refused: " + refusal)
        }
    }
}
