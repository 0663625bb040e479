import Chord
import Crypto
import Reload
import Signing
import Storage
import Testing
import Wire

@testable import Node

/// The CertificateService part alone (RFC 6940 §8, §6.3.4): when our certificate is stored and
/// stored again, one lookup per Node-ID within a bound, the requests that wait for one, and the
/// cache of verified certificates with its bound.
@Suite struct CertificateServiceTests {
    let identities: PartIdentities
    let own: NodeIdentity

    init() throws {
        identities = try PartIdentities(seed: 5)
        own = try identities.identity(at: 0x40 << 120, user: "own@parts.example")
    }

    func service(_ change: (inout NodeConfiguration) -> Void = { _ in }) throws -> CertificateService {
        var configuration = PartFixtures.configuration()
        change(&configuration)
        return CertificateService(
            configuration: configuration, own: own.certificateChain[0], verifier: identities.verifier, random: try PartFixtures.random(6),
            now: PartFixtures.time(0))
    }

    func parked(_ transactionId: UInt64, awaiting nodeId: NodeId) -> ParkedMessage {
        let header = ForwardingHeader(overlay: 1, transactionId: transactionId, destinationList: [.node(own.nodeId)])
        return ParkedMessage(bytes: [1], header: header, headerLength: 1, from: nodeId, link: 3, awaited: nodeId)
    }

    /// §8: the first Store a publication delay after joining (with up to 1 s of jitter), one at
    /// a time, again half a lifetime after success; after failures 2 s doubling to 60 s.
    @Test func ourCertificateIsStoredAfterJoiningRefreshedAndRetriedWithBackoff() throws {
        var certificates = try service {
            $0.certificateLifetimeSeconds = 120
            $0.certificatePublicationDelayMilliseconds = 2_000
        }
        let beforeJoining = certificates.beginPublication(now: PartFixtures.time(100_000))
        #expect(certificates.nextPublication == nil && !beforeJoining, "not before joining")
        certificates.start(now: PartFixtures.time(0))
        let first = try #require(certificates.nextPublication).milliseconds(since: PartFixtures.instant(0))
        #expect(first >= 2_000 && first < 3_000)
        let early = certificates.beginPublication(now: PartFixtures.time(first - 1))
        let due = certificates.beginPublication(now: PartFixtures.time(first))
        let again = certificates.beginPublication(now: PartFixtures.time(first + 10_000))
        #expect(!early && due)
        #expect(certificates.nextPublication == nil && !again, "one Store at a time")
        let refresh = certificates.publicationEnded(success: true, now: PartFixtures.time(first))
        #expect(refresh == 60_000, "half the lifetime")
        #expect(certificates.nextPublication == PartFixtures.instant(first + 60_000))
        var delays: [UInt64] = []
        var clock: UInt64 = 1_000_000
        for _ in 0..<7 {
            let begun = certificates.beginPublication(now: PartFixtures.time(clock))
            #expect(begun)
            delays.append(certificates.publicationEnded(success: false, now: PartFixtures.time(clock)))
            clock += delays.last!
        }
        let floors: [UInt64] = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
        for (delay, floor) in zip(delays, floors) { #expect(delay >= floor && delay < floor + 1_000, "\(delays)") }
        let afterFailures = certificates.beginPublication(now: PartFixtures.time(clock))
        let stored = certificates.publicationEnded(success: true, now: PartFixtures.time(clock))
        let next = certificates.beginPublication(now: PartFixtures.time(clock + 60_000))
        #expect(afterFailures && stored == 60_000 && next)
        let afterSuccess = certificates.publicationEnded(success: false, now: PartFixtures.time(clock + 60_000))
        #expect(afterSuccess >= 2_000 && afterSuccess < 3_000, "success resets the backoff")
    }

    /// §8 "A user/node MUST store its certificate at Resource-IDs derived from two Resource
    /// Names": a Store at H(Node-ID) under CERTIFICATE_BY_NODE, then one at H(user name) under
    /// CERTIFICATE_BY_USER, each value our certificate signed by us; one at a time, and a
    /// failure is retried from the Store that failed.
    @Test func ourCertificateIsPublishedUnderBothResourceNames() throws {
        let userResource = ResourceId(bytes: Array(SHA1.hash(Array("own@parts.example".utf8)).prefix(16)))!
        let places = [(KindId.certificateByNode, CertificateService.resource(of: own.nodeId)), (.certificateByUser, userResource)]
        #expect(CertificateService.publicationKinds == places.map { $0.0 })
        for (kind, resource) in places {
            let request = try CertificateService.publicationRequest(
                kind, identity: own, storageTime: 1_000, lifetime: 120, random: try PartFixtures.random(7))
            #expect(request.resource == resource && request.kindData.map { $0.kind } == [kind])
            let value = try #require(request.kindData.first?.values.values?.first)
            #expect(value.value == .array(ArrayEntry(index: 0, value: DataValue(value: own.certificateChain[0]))))
            #expect(value.signature.identity == .certHash(certificateDER: own.certificateChain[0]))
            try value.verifySignature(resource: resource, kind: kind, publicKey: own.privateKey.publicKey())
        }
        var certificates = try service { $0.certificateLifetimeSeconds = 120 }
        certificates.start(now: PartFixtures.time(0))
        let due = try #require(certificates.nextPublication).milliseconds(since: PartFixtures.instant(0))
        let begun = certificates.beginPublication(now: PartFixtures.time(due))
        #expect(begun && certificates.publicationKind == .certificateByNode)
        let afterNode = certificates.publicationStoreEnded(success: true, now: PartFixtures.time(due))
        #expect(afterNode == .store(.certificateByUser) && certificates.nextPublication == nil, "then the user name")
        let afterUser = certificates.publicationStoreEnded(success: true, now: PartFixtures.time(due))
        #expect(afterUser == .ended(success: true, delay: 60_000))
        // The refresh stores both again; the second failing, the retry stores only it.
        let refresh = certificates.beginPublication(now: PartFixtures.time(due + 60_000))
        #expect(refresh && certificates.publicationKind == .certificateByNode)
        _ = certificates.publicationStoreEnded(success: true, now: PartFixtures.time(due + 60_000))
        let failed = certificates.publicationStoreEnded(success: false, now: PartFixtures.time(due + 60_000))
        guard case .ended(success: false, let delay) = failed else {
            Issue.record("\(failed)")
            return
        }
        #expect(delay >= 2_000 && delay < 3_000)
        let retry = certificates.beginPublication(now: PartFixtures.time(due + 60_000 + delay))
        #expect(retry && certificates.publicationKind == .certificateByUser, "the retry starts where it failed")
        let retried = certificates.publicationStoreEnded(success: true, now: PartFixtures.time(due + 60_000 + delay))
        #expect(retried == .ended(success: true, delay: 60_000))
        let next = certificates.beginPublication(now: PartFixtures.time(due + 120_000 + delay))
        #expect(next && certificates.publicationKind == .certificateByNode, "a new publication stores both")
    }

    /// §8: one lookup per Node-ID at a time, at most maximumCertificateLookups, only in the ring.
    @Test func eachCertificateIsLookedUpOnceAndLookupsAreBounded() throws {
        var certificates = try service { $0.maximumCertificateLookups = 2 }
        let (a, b, c) = (PartFixtures.nodeId(1), PartFixtures.nodeId(2), PartFixtures.nodeId(3))
        let outside = certificates.beginLookup(of: a, joined: false)
        #expect(outside == .refused, "the Fetch is routed: only in the ring")
        let starts = [certificates.beginLookup(of: a, joined: true), certificates.beginLookup(of: a, joined: true),
                      certificates.beginLookup(of: b, joined: true), certificates.beginLookup(of: c, joined: true)]
        #expect(starts == [.send, .underWay, .send, .refused])
        certificates.lookupNotSent(of: b)
        let afterRoom = certificates.beginLookup(of: c, joined: true)
        #expect(afterRoom == .send)
        let ended = certificates.lookupEnded(of: a, answer: nil, now: PartFixtures.time(1))
        #expect(ended.learned == 0 && ended.waiting.isEmpty && !certificates.isLookingUp(a))
        let anew = certificates.beginLookup(of: a, joined: true)
        #expect(anew == .send)
    }

    /// Requests without their signer's certificate wait for its lookup: each once (a
    /// retransmission does not wait twice), at most maximumParkedMessages, and the end of a
    /// lookup releases exactly those that waited for it.
    @Test func requestsWaitForTheLookupOfTheirSignersCertificate() throws {
        var certificates = try service { $0.maximumParkedMessages = 2 }
        let (a, b) = (PartFixtures.nodeId(1), PartFixtures.nodeId(2))
        certificates.park(parked(1, awaiting: a))
        #expect(!certificates.mayPark(parked(1, awaiting: a)), "the same transaction waits once")
        certificates.park(parked(2, awaiting: b))
        #expect(!certificates.mayPark(parked(3, awaiting: a)), "full")
        let released = certificates.lookupEnded(of: a, answer: nil, now: PartFixtures.time(1)).waiting
        #expect(released.map { $0.header.transactionId } == [1])
        #expect(certificates.mayPark(parked(3, awaiting: a)))
    }

    /// §6.3.4: certificates from security blocks and from CERTIFICATE_BY_NODE values are kept
    /// once verified against the overlay's CA; others are refused. The cache is bounded; our
    /// own certificate stays.
    @Test func onlyVerifiedCertificatesAreKeptAndTheCacheIsBounded() throws {
        var certificates = try service { $0.maximumCachedCertificates = 3 }
        #expect(certificates.cache.entries.first?.certificateDER == own.certificateChain[0])
        let stranger = try PartIdentities(seed: 9).identity(at: 0x77 << 120, user: "stranger@other.example")
        let peers = try (1...3).map { try identities.identity(at: UInt128($0) << 120, user: "peer\($0)@parts.example") }
        let refused = certificates.learn(
            [GenericCertificate(certificate: stranger.certificateChain[0]), GenericCertificate(certificate: [0x30, 0x03, 1, 2, 3])],
            now: PartFixtures.time(0))
        #expect(refused.count == 2 && certificates.cache.entries.count == 1)
        let learned = certificates.learn(peers.prefix(2).map { GenericCertificate(certificate: $0.certificateChain[0]) }, now: PartFixtures.time(0))
        #expect(learned.isEmpty)
        #expect(certificates.cache.entries.count == 3)
        let value = try StoredData.signed(
            resource: CertificateService.resource(of: peers[2].nodeId), kind: .certificateByNode, storageTime: 1, lifetime: 60,
            value: .array(ArrayEntry(index: 0, value: DataValue(value: peers[2].certificateChain[0]))),
            identity: .certHash(certificateDER: peers[2].certificateChain[0]), key: peers[2].privateKey, random: try PartFixtures.random(7))
        let answer = FetchAns(kindResponses: [FetchKindResponse(kind: .certificateByNode, generation: 1, values: [value])])
        let new = certificates.learnValues(answer, now: PartFixtures.time(0))
        let known = certificates.learnValues(answer, now: PartFixtures.time(0))
        #expect(new == 1 && known == 0)
        let kept = certificates.cache.entries.map { $0.certificateDER }
        #expect(kept == [own.certificateChain[0], peers[1].certificateChain[0], peers[2].certificateChain[0]], "the oldest other went")
    }
}
