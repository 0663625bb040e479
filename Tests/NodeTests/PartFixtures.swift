import Chord
import Crypto
import Reload
import Simulator
import Storage
import Testing
import Wire

@testable import Node

/// What the tests of the node's parts share: Node-IDs at chosen points of the ring, seeded
/// random generators, times, and real identities (P-256 keys, certificates of a simulated CA)
/// for the requests a part checks the signer of.
enum PartFixtures {
    /// 2026-09-21, within the simulated certificates' validity.
    static let wall = WallTime(secondsSince1970: 1_790_000_000)

    /// `milliseconds` after a start of one second (monotonic), the wall clock moving with it.
    static func time(_ milliseconds: UInt64) -> NodeTime {
        return NodeTime(monotonic: Instant.zero.adding(milliseconds: 1_000 + milliseconds), wall: wall.adding(milliseconds: Int64(milliseconds)))
    }

    static func instant(_ milliseconds: UInt64) -> Instant { time(milliseconds).monotonic }

    /// The Node-ID at `point` of the ring (RFC 6940 §10.1: 128-bit ids).
    static func nodeId(_ point: UInt128) -> NodeId {
        return NodeId(bytes: RingId(point).bytes)!
    }

    /// A seeded CTR-DRBG: the same seed, the same jitter and the same signatures.
    static func random(_ seed: UInt8) throws -> RandomGenerator {
        return try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: RandomGenerator.minimumFixedSeedBytes)))
    }

    static func configuration() -> NodeConfiguration {
        return NodeConfiguration(overlayName: "parts.example")
    }

    static func address(_ last: UInt8) -> IpAddressPort {
        return .ipv4(10, 0, 0, last, port: 6084)
    }
}

/// A simulated CA and the identities it issued, each with the VerifiedIdentity a node gets
/// when it checks the certificate (§6.3.4).
struct PartIdentities {
    let pki: SimulatedPKI
    let verifier: IdentityVerifier

    init(seed: UInt8) throws {
        pki = try SimulatedPKI(
            overlay: PartFixtures.configuration().overlayName, random: PartFixtures.random(seed),
            now: PartFixtures.wall)
        verifier = try pki.makeVerifier()
    }

    func identity(at point: UInt128, user: String) throws -> NodeIdentity {
        return try pki.makeIdentity(user: user, nodeId: RingId(point).bytes)
    }

    func verified(_ identity: NodeIdentity) throws -> VerifiedIdentity {
        return try verifier.verify(chain: [Certificate(der: identity.certificateChain[0])], now: PartFixtures.time(0).certificateTime)
    }

    /// A request from `signer` that arrived over the link of `from` (its previous hop).
    func request(from: NodeId, link: LinkId, signer: NodeIdentity, via: [NodeId] = []) throws -> IncomingRequest {
        let header = ForwardingHeader(
            overlay: PartFixtures.configuration().overlayHash, transactionId: 99, viaList: via.map { .node($0) },
            destinationList: [.node(PartFixtures.nodeId(1))])
        return IncomingRequest(
            header: header, from: from, link: link, originator: via.first ?? from, signer: try verified(signer))
    }
}
