import Chord
import Crypto
import Reload
import Signing
import Storage
import Wire

/// The certificates of one node (RFC 6940 §6.3.4, §8), as a state machine that does no I/O:
/// those it verified lately (the cache), the publication of its own under CERTIFICATE_BY_NODE
/// and CERTIFICATE_BY_USER, and the lookups of others' with the requests that wait for them.
///
/// Publication: once joined, the node stores its certificate at H(Node-ID) and then at H(user
/// name) (§8: "A user/node MUST store its certificate at Resource-IDs derived from two
/// Resource Names"), array index 0 of each, with `certificateLifetimeSeconds`, and both again
/// when half of that has passed. One Store at a time: a failure is retried from the Store that
/// failed (2 s doubling to 60 s), so that a lossy path costs no more Stores than one
/// publication did. Index 0 holds the current certificate: a renewed one replaces it. In a self-signed overlay the
/// CERTIFICATE_BY_USER Store is also what binds the user name to our key (Storage's
/// UserNameBinding: first come), and the refresh keeps it bound.
///
/// Use: a signature is checked with the certificate its message carries, else one verified
/// lately, else one the record store keeps (§6.3.4: a storing peer retains the certificates of
/// the data it holds). When none has it, the node fetches CERTIFICATE_BY_NODE of the Node-ID
/// the signer must have; at most `maximumCertificateLookups` at once, each Node-ID once, and
/// at most `maximumParkedMessages` requests wait. A certificate from the overlay is believed
/// only after the IdentityVerifier checked it (chain, validity, revocation), as one from a
/// security block.
struct CertificateService {
    /// Whether a lookup of a Node-ID's certificate is to be sent.
    enum LookupStart: Equatable {
        /// One is under way already: wait for it.
        case underWay
        /// Send the Fetch (the lookup is counted as under way; `lookupNotSent` if it is not).
        case send
        /// No room for another lookup, or the node is not in the ring.
        case refused
    }

    let verifier: IdentityVerifier
    let random: RandomGenerator
    let lifetimeSeconds: UInt32
    let publicationDelayMilliseconds: UInt64
    let maximumLookups: Int
    let maximumParked: Int
    private(set) var cache: CertificateCache
    private(set) var progress = CertificateProgress()

    /// `own`: this node's certificate, kept in the cache for good (entry 0) when it verifies.
    init(configuration: NodeConfiguration, own: [UInt8], verifier: IdentityVerifier, random: RandomGenerator, now: NodeTime) {
        self.verifier = verifier
        self.random = random
        lifetimeSeconds = configuration.certificateLifetimeSeconds
        publicationDelayMilliseconds = configuration.certificatePublicationDelayMilliseconds
        maximumLookups = configuration.maximumCertificateLookups
        maximumParked = configuration.maximumParkedMessages
        cache = CertificateCache(capacity: configuration.maximumCachedCertificates)
        if let verified = try? verifier.verify(chain: [Certificate(der: own)], now: now.certificateTime) {
            cache.add(verified, certificateDER: own)
        }
    }

    /// §8: CERTIFICATE_BY_NODE of `nodeId` lives at H(Node-ID) (SHA-1, the overlay's hash,
    /// truncated to the Resource-ID length, §10.2), "to avoid making a peer responsible for
    /// its own data".
    static func resource(of nodeId: NodeId) -> ResourceId {
        return ResourceId(bytes: Array(SHA1.hash(nodeId.bytes).prefix(NodeConfiguration.nodeIdLength)))!
    }

    /// §8: CERTIFICATE_BY_USER of `userName` lives at H(user name), as every USER-MATCH value
    /// of that user (§7.3.1).
    static func resource(ofUser userName: String) -> ResourceId {
        return ResourceId(bytes: Array(SHA1.hash(Array(userName.utf8)).prefix(NodeConfiguration.nodeIdLength)))!
    }

    // MARK: Publication

    /// The kinds one publication stores our certificate under, in order (§8).
    static let publicationKinds: [KindId] = [.certificateByNode, .certificateByUser]

    /// The Store of our certificate (§8) under `kind`: CERTIFICATE_BY_NODE at H(Node-ID),
    /// CERTIFICATE_BY_USER at H(user name), array index 0, the value signed by us (§7.1).
    static func publicationRequest(
        _ kind: KindId, identity: NodeIdentity, storageTime: UInt64, lifetime: UInt32, random: RandomGenerator
    ) throws(ReloadError) -> StoreReq {
        let resource = kind == .certificateByUser ? resource(ofUser: identity.userName) : resource(of: identity.nodeId)
        let value = StoredDataValue.array(ArrayEntry(index: 0, value: DataValue(value: identity.certificateChain[0])))
        let signed = try StoredData.signed(
            resource: resource, kind: kind, storageTime: storageTime, lifetime: lifetime, value: value,
            identity: identity.signerIdentity, key: identity.privateKey, random: random)
        return StoreReq(resource: resource, replicaNumber: 0, kindData: [StoreKindData(kind: kind, generationCounter: 0, values: [signed])])
    }

    /// What follows the end of one publication Store.
    enum PublicationStep: Equatable {
        /// Store under this kind now (the publication goes on).
        case store(KindId)
        /// The publication ended: the next one after `delay` milliseconds.
        case ended(success: Bool, delay: UInt64)
    }

    /// The kind the publication in flight stores under now.
    var publicationKind: KindId { CertificateService.publicationKinds[progress.publicationStage] }

    /// When our certificate is stored next (nil while a Store is in flight).
    var nextPublication: Instant? { progress.nextPublication }

    /// Joined: the first Store goes out after the publication delay (the ring settles first).
    mutating func start(now: NodeTime) {
        progress.nextPublication = now.monotonic.adding(milliseconds: publicationDelayMilliseconds + jitter(1000))
    }

    /// True when our certificate is to be stored now; it is then in flight (no deadline until
    /// `publicationEnded` sets the next one).
    mutating func beginPublication(now: NodeTime) -> Bool {
        guard let due = progress.nextPublication, due <= now.monotonic, !progress.publishing else { return false }
        progress.nextPublication = nil
        progress.publishing = true
        return true
    }

    /// The Store under `publicationKind` ended: on success the next kind, or, after the last,
    /// the end of the publication; on failure the publication ends and the next one starts
    /// again from this kind.
    mutating func publicationStoreEnded(success: Bool, now: NodeTime) -> PublicationStep {
        if success && progress.publicationStage + 1 < CertificateService.publicationKinds.count {
            progress.publicationStage += 1
            return .store(publicationKind)
        }
        if success { progress.publicationStage = 0 }
        return .ended(success: success, delay: publicationEnded(success: success, now: now))
    }

    /// The publication ended: the next one half a lifetime later, or after the failure backoff.
    /// Returns the delay in milliseconds.
    @discardableResult
    mutating func publicationEnded(success: Bool, now: NodeTime) -> UInt64 {
        progress.publishing = false
        let delay: UInt64
        if success {
            progress.publicationFailures = 0
            delay = UInt64(lifetimeSeconds) * 1000 / 2
        } else {
            delay = progress.retryMilliseconds + jitter(1000)
            progress.publicationFailures += 1
        }
        progress.nextPublication = now.monotonic.adding(milliseconds: delay)
        return delay
    }

    // MARK: Lookups and waiting requests

    /// Whether to fetch CERTIFICATE_BY_NODE of `nodeId` now (only in the ring: the Fetch is
    /// routed like any request).
    mutating func beginLookup(of nodeId: NodeId, joined: Bool) -> LookupStart {
        if progress.lookups.contains(nodeId) { return .underWay }
        guard progress.lookups.count < maximumLookups, joined else { return .refused }
        progress.lookups.insert(nodeId)
        return .send
    }

    /// The lookup's Fetch could not be sent.
    mutating func lookupNotSent(of nodeId: NodeId) {
        progress.lookups.remove(nodeId)
    }

    func isLookingUp(_ nodeId: NodeId) -> Bool { progress.lookups.contains(nodeId) }

    /// A lookup ended (`answer` nil: it failed): the certificates found are learned; returns
    /// how many were new and the requests that waited for it, to be delivered once more.
    mutating func lookupEnded(of nodeId: NodeId, answer: FetchAns?, now: NodeTime) -> (learned: Int, waiting: [ParkedMessage]) {
        progress.lookups.remove(nodeId)
        let learned = answer.map { learnValues($0, now: now) } ?? 0
        let waiting = progress.parked.filter { $0.awaited == nodeId }
        progress.parked.removeAll { $0.awaited == nodeId }
        return (learned, waiting)
    }

    /// Whether a request may wait for its signer's certificate: there is room and it does not
    /// wait already (a retransmission).
    func mayPark(_ message: ParkedMessage) -> Bool {
        return progress.parked.count < maximumParked
            && !progress.parked.contains { $0.header.transactionId == message.header.transactionId }
    }

    /// Keeps a request until the lookup of its originator's certificate ends.
    mutating func park(_ message: ParkedMessage) {
        precondition(mayPark(message))
        progress.parked.append(message)
    }

    // MARK: Learning and finding certificates

    /// Certificates that are CERTIFICATE_BY_NODE/USER values of a fetch answer (§8), each
    /// verified like one from a security block, are remembered. Returns how many were new.
    mutating func learnValues(_ answer: FetchAns, now: NodeTime) -> Int {
        var learned = 0
        for response in answer.kindResponses where response.kind == .certificateByNode || response.kind == .certificateByUser {
            for value in (response.values.values ?? []).prefix(ReloadLimits.certificates) where value.value.dataValue.exists {
                let der = value.value.dataValue.value
                if cache.contains(certificateDER: der) { continue }
                guard let certificate = try? Certificate(der: der),
                    let verified = try? verifier.verify(chain: [certificate], now: now.certificateTime)
                else { continue }
                cache.add(verified, certificateDER: der)
                learned += 1
            }
        }
        return learned
    }

    /// Verifies the certificates of a message's security block that we do not know yet, and
    /// keeps those that chain to the overlay's trust anchors (§6.3.4, §7.4.2.2). Returns why
    /// each refused one was refused.
    mutating func learn(_ carried: [GenericCertificate], now: NodeTime) -> [String] {
        var refused: [String] = []
        for generic in carried.prefix(CertificateCache.learnedPerMessage) where generic.type == GenericCertificate.x509 {
            if cache.contains(certificateDER: generic.certificate) { continue }
            do throws(CryptoError) {
                let verified = try verifier.verify(chain: [Certificate(der: generic.certificate)], now: now.certificateTime)
                cache.add(verified, certificateDER: generic.certificate)
            } catch {
                refused.append(error.description)
            }
        }
        return refused
    }

    /// A resolver over the cache and the record store's certificates; `keep` it afterwards,
    /// so that what it verified stays cached.
    func makeResolver<Backend: RecordBackend>(records: DataStore<Backend>, now: NodeTime) -> NodeSignerResolver<Backend> {
        return NodeSignerResolver(cache: cache, records: records, verifier: verifier, certificateTime: now.certificateTime)
    }

    mutating func keep<Backend: RecordBackend>(_ resolver: NodeSignerResolver<Backend>) {
        cache = resolver.cache
    }

    /// §6.3.4: the signer's certificate of `message`, from its security block ("SHOULD contain
    /// all the certificates necessary"), else from those we know (a system with "an alternative
    /// certificate distribution mechanism" may omit it: ours is §8's certificate store).
    mutating func signerCertificate<Backend: RecordBackend>(of message: Message, records: DataStore<Backend>, now: NodeTime) -> [UInt8]? {
        let signature = message.securityBlock.signature
        if let der = message.securityBlock.certificate(for: signature.identity) { return der }
        var resolver = makeResolver(records: records, now: now)
        defer { keep(resolver) }
        return resolver.certificate(for: signature.identity)
    }

    /// The certificates of the values' signers that we know, `own` excepted (it is always in
    /// the security block), at most `room` (what a security block holds besides ours, §6.3.4).
    mutating func certificates<Backend: RecordBackend>(
        of values: [StoredData], own: [UInt8], room: Int, records: DataStore<Backend>, now: NodeTime
    ) -> [[UInt8]] {
        var found: [[UInt8]] = []
        var resolver = makeResolver(records: records, now: now)
        defer { keep(resolver) }
        for value in values where found.count < room {
            guard value.signature != .synthesized, let der = resolver.certificate(for: value.signature.identity),
                der != own, !found.contains(der)
            else { continue }
            found.append(der)
        }
        return found
    }

    /// Jitter in [0, spread) milliseconds, so that nodes that joined together do not publish
    /// together.
    private func jitter(_ spread: UInt64) -> UInt64 {
        guard spread > 0 else { return 0 }
        return (try? random.uniform(below: spread)) ?? 0
    }
}
