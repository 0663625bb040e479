import Crypto
import Testing
@testable import Link
import Reload
import Wire

/// The link authenticator inside the DTLS handshake (`LinkManager.checkCertificatesDuringHandshake`):
/// an untrusted, revoked or wrong certificate ends the handshake with the fitting fatal alert
/// (RFC 5246 §7.2.2) before the handshake completes, the refusal is counted and the address
/// banned; good and self-signed certificates still connect. Identities are issued here by
/// Crypto's CertificateIssuer with seeded generators, as a peer's CA issues them.
@Suite struct HandshakeVerificationTests {
    static let overlay = "overlay.example.org"
    static let notBefore = CertificateTime(year: 2026, month: 1, day: 1)
    static let notAfter = CertificateTime(year: 2027, month: 1, day: 1)
    static let now = CertificateTime(year: 2026, month: 6, day: 1, hour: 12)

    /// One overlay's root and verifier (or a self-signed overlay's policy).
    final class Overlay {
        let random: RandomGenerator
        let root: CertificateIssuer
        let verifier: IdentityVerifier
        let policy: SelfSignedPolicy?
        var serial: UInt8 = 10

        init(seed: UInt8, selfSigned: Bool = false) throws {
            random = try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: 96)))
            root = try CertificateIssuer.createRoot(
                key: try PrivateKey.generateP256(using: random), commonName: "root \(seed)", serial: [seed],
                notBefore: HandshakeVerificationTests.notBefore, notAfter: CertificateTime(year: 2036, month: 1, day: 1), using: random)
            policy = selfSigned ? SelfSignedPolicy(digest: .sha256, workBits: 0) : nil
            verifier = try IdentityVerifier(
                overlayName: HandshakeVerificationTests.overlay, nodeIdLength: 16, roots: selfSigned ? [] : [root.certificate],
                selfSigned: policy)
        }

        /// A key and a certificate of this overlay's root for Node-ID `byte` repeated.
        func identity(_ byte: UInt8) throws -> (key: PrivateKey, der: [UInt8], nodeId: NodeId, serial: [UInt8]) {
            serial += 1
            let key = try PrivateKey.generateP256(using: random)
            let der = try root.issueNodeCertificate(
                publicKey: try key.publicKey(), nodeIds: [[UInt8](repeating: byte, count: 16)], userName: "user\(byte)@\(HandshakeVerificationTests.overlay)",
                overlay: HandshakeVerificationTests.overlay, serial: [serial], notBefore: HandshakeVerificationTests.notBefore,
                notAfter: HandshakeVerificationTests.notAfter, using: random)
            return (key, der, NodeId(bytes: [UInt8](repeating: byte, count: 16))!, [serial])
        }

        /// A self-signed identity (RFC 6940 §11.3.1): its Node-ID is the digest of its key.
        func selfSignedIdentity() throws -> (key: PrivateKey, der: [UInt8], nodeId: NodeId) {
            let created = try SelfSignedIdentity.create(
                userName: "lan@\(HandshakeVerificationTests.overlay)", overlay: HandshakeVerificationTests.overlay, nodeIdLength: 16,
                policy: SelfSignedPolicy(digest: .sha256, workBits: 0), maximumAttempts: 0, notBefore: HandshakeVerificationTests.notBefore,
                notAfter: HandshakeVerificationTests.notAfter, using: random)
            let certificate = try Certificate(der: created.certificate)
            let nodeId = try certificate.reloadIdentity(overlay: HandshakeVerificationTests.overlay, nodeIdLength: 16).nodeIds[0]
            return (created.key, created.certificate, NodeId(bytes: nodeId)!)
        }
    }

    /// A peer's LinkManager for `identity`; with `checkingWith`, it judges chains inside the
    /// handshake with that overlay's verifier, at `now`.
    static func peer(
        _ network: SimulatedNetwork, _ name: String, index: Int, key: PrivateKey, der: [UInt8], nodeId: NodeId,
        checkingWith overlay: Overlay?
    ) throws -> SimulatedPeer {
        let (client, server) = try SecureSessionConfiguration.peerPair(
            certificateDER: der, privateKey: key, random: try RandomGenerator(source: .operatingSystem), keyLog: false)
        let peer = try network.add(name, LinkManagerConfiguration(client: client, server: server), index: index)
        if let overlay {
            try peer.manager.checkCertificatesDuringHandshake(with: LinkAuthenticator(verifier: overlay.verifier, ownNodeId: nodeId))
            peer.manager.configuration.server.handshakeCheck?.now = now
        }
        return peer
    }

    static func established(_ peer: SimulatedPeer, to other: SimulatedPeer) -> Bool {
        peer.manager.link(to: other.address)?.state == .established
    }

    static func refusal(_ peer: SimulatedPeer) -> LinkAuthenticationRefusal? {
        for (_, failure, _) in peer.failed { if case .session(.certificateRefused(let refusal)) = failure { return refusal } }
        return nil
    }

    static func alert(_ peer: SimulatedPeer) -> AlertDescription? {
        for (_, failure, _) in peer.failed { if case .session(.alertReceived(let alert)) = failure { return alert } }
        return nil
    }

    /// `client` connects to `server`; runs until one side failed or both are up.
    static func connect(_ network: SimulatedNetwork, _ client: SimulatedPeer, to server: SimulatedPeer, expecting: NodeId? = nil) throws {
        network.perform(try client.manager.connect(to: server.address, expecting: expecting, now: network.now), by: client)
        network.run(forMilliseconds: 5_000) {
            !client.failed.isEmpty && !server.failed.isEmpty || established(client, to: server) && established(server, to: client)
        }
    }

    @Test func aClientOfAnotherCAIsRefusedInsideTheHandshakeWithUnknownCA() throws {
        let ours = try Overlay(seed: 1)
        let theirs = try Overlay(seed: 2)
        let network = SimulatedNetwork(seed: 1, conditions: .perfect)
        let a = try ours.identity(0xA1)
        let m = try theirs.identity(0xEE)
        let server = try Self.peer(network, "server", index: 1, key: a.key, der: a.der, nodeId: a.nodeId, checkingWith: ours)
        let client = try Self.peer(network, "mallory", index: 2, key: m.key, der: m.der, nodeId: m.nodeId, checkingWith: nil)
        try Self.connect(network, client, to: server)
        guard case .untrustedRoot? = Self.refusal(server) else {
            Issue.record("the server did not refuse the foreign chain in the handshake: \(server.failed)")
            return
        }
        #expect(server.established.isEmpty, "the server never reaches the established state")
        #expect(client.established.isEmpty, "the client never sees the server's Finished")
        #expect(Self.alert(client) == .unknownCertificateAuthority)
        #expect(server.manager.counters.certificatesRefusedInHandshake == 1)
        #expect(server.manager.isBanned(client.address, now: network.now), "the identity ban fires as after the owner's refusal")
        #expect(server.manager.linkCount == 0)
    }

    @Test func aRevokedClientIsRefusedWithCertificateRevoked() throws {
        let ours = try Overlay(seed: 3)
        let network = SimulatedNetwork(seed: 2, conditions: .perfect)
        let a = try ours.identity(0xA1)
        let t = try ours.identity(0xB2)
        let crl = try RevocationList.create(
            issuer: ours.root, revoked: [RevokedCertificate(serialNumber: t.serial, revocationDate: Self.notBefore)], number: 2,
            thisUpdate: Self.notBefore, nextUpdate: Self.notAfter, using: ours.random)
        try ours.verifier.setRevocationList(try RevocationList(der: crl))
        let server = try Self.peer(network, "server", index: 1, key: a.key, der: a.der, nodeId: a.nodeId, checkingWith: ours)
        let client = try Self.peer(network, "trent", index: 2, key: t.key, der: t.der, nodeId: t.nodeId, checkingWith: nil)
        try Self.connect(network, client, to: server)
        #expect(Self.refusal(server) == .revoked)
        #expect(server.established.isEmpty && client.established.isEmpty)
        #expect(Self.alert(client) == .certificateRevoked)
        #expect(server.manager.counters.certificatesRefusedInHandshake == 1)
        #expect(server.manager.isBanned(client.address, now: network.now))
    }

    @Test func aServerWithoutTheExpectedNodeIdIsRefusedByTheClient() throws {
        let ours = try Overlay(seed: 4)
        let network = SimulatedNetwork(seed: 3, conditions: .perfect)
        let a = try ours.identity(0xA1)
        let b = try ours.identity(0xB2)
        let server = try Self.peer(network, "server", index: 1, key: a.key, der: a.der, nodeId: a.nodeId, checkingWith: nil)
        let client = try Self.peer(network, "client", index: 2, key: b.key, der: b.der, nodeId: b.nodeId, checkingWith: ours)
        let wanted = NodeId(bytes: [UInt8](repeating: 0xC3, count: 16))!
        try Self.connect(network, client, to: server, expecting: wanted)
        #expect(Self.refusal(client) == .nodeIdMismatch(expected: wanted))
        #expect(Self.alert(server) == .badCertificate)
        #expect(server.established.isEmpty && client.established.isEmpty)
        #expect(client.manager.counters.certificatesRefusedInHandshake == 1)
    }

    @Test func goodCertificatesConnectAndTheOwnersCheckIsACacheHit() throws {
        let ours = try Overlay(seed: 5)
        let network = SimulatedNetwork(seed: 4, conditions: .perfect)
        let a = try ours.identity(0xA1)
        let b = try ours.identity(0xB2)
        let server = try Self.peer(network, "server", index: 1, key: a.key, der: a.der, nodeId: a.nodeId, checkingWith: ours)
        let client = try Self.peer(network, "client", index: 2, key: b.key, der: b.der, nodeId: b.nodeId, checkingWith: ours)
        try Self.connect(network, client, to: server, expecting: a.nodeId)
        #expect(Self.established(client, to: server) && Self.established(server, to: client))
        #expect(server.failed.isEmpty && client.failed.isEmpty)
        #expect(server.manager.counters.certificatesRefusedInHandshake == 0)
        // The owner's check on `.established` is the same judgement, answered from the cache.
        let hits = ours.verifier.cacheHits
        let authenticator = LinkAuthenticator(verifier: ours.verifier, ownNodeId: a.nodeId)
        let peer = try authenticator.authenticate(try #require(server.established.first).chain, expected: nil, now: Self.now).get()
        #expect(peer.nodeId == b.nodeId)
        #expect(ours.verifier.cacheHits == hits + 1)
    }

    @Test func selfSignedPeersStillConnectAndAreRefusedByAnEnrolledOverlay() throws {
        let lan = try Overlay(seed: 6, selfSigned: true)
        let network = SimulatedNetwork(seed: 5, conditions: .perfect)
        let a = try lan.selfSignedIdentity()
        let b = try lan.selfSignedIdentity()
        let server = try Self.peer(network, "server", index: 1, key: a.key, der: a.der, nodeId: a.nodeId, checkingWith: lan)
        let client = try Self.peer(network, "client", index: 2, key: b.key, der: b.der, nodeId: b.nodeId, checkingWith: lan)
        try Self.connect(network, client, to: server, expecting: a.nodeId)
        #expect(Self.established(client, to: server) && Self.established(server, to: client))

        // An overlay of enrolled peers only: a self-signed client (that checks nothing
        // itself) is refused, unknown_ca.
        let enrolled = try Overlay(seed: 7)
        let c = try enrolled.identity(0xC3)
        let strict = try Self.peer(network, "strict", index: 3, key: c.key, der: c.der, nodeId: c.nodeId, checkingWith: enrolled)
        let d = try lan.selfSignedIdentity()
        let wanderer = try Self.peer(network, "wanderer", index: 4, key: d.key, der: d.der, nodeId: d.nodeId, checkingWith: nil)
        try Self.connect(network, wanderer, to: strict)
        #expect(Self.refusal(strict) == .untrustedRoot(.selfSignedNotPermitted))
        #expect(Self.alert(wanderer) == .unknownCertificateAuthority)
        #expect(strict.established.isEmpty)
    }

    @Test func withoutTheWallClockTheChainIsLeftToTheOwner() throws {
        let ours = try Overlay(seed: 8)
        let theirs = try Overlay(seed: 9)
        let network = SimulatedNetwork(seed: 6, conditions: .perfect)
        let a = try ours.identity(0xA1)
        let m = try theirs.identity(0xEE)
        let server = try Self.peer(network, "server", index: 1, key: a.key, der: a.der, nodeId: a.nodeId, checkingWith: ours)
        server.manager.configuration.server.handshakeCheck?.now = nil
        let client = try Self.peer(network, "mallory", index: 2, key: m.key, der: m.der, nodeId: m.nodeId, checkingWith: nil)
        try Self.connect(network, client, to: server)
        #expect(Self.established(server, to: client), "no time to judge validity by: the owner checks after the handshake")
        #expect(server.manager.counters.certificatesRefusedInHandshake == 0)
    }

    @Test func onlyDeferredTrustChecksInsideTheHandshake() throws {
        let ours = try Overlay(seed: 10)
        let a = try ours.identity(0xA1)
        let anchored = try SecureSessionConfiguration(
            role: .server, transport: .datagram, certificateChain: [try Certificate(der: a.der)], privateKey: a.key,
            trust: .anchors([ours.root.certificate], revocationListDER: nil), random: try RandomGenerator(source: .operatingSystem))
        let check = HandshakeCertificateCheck(authenticator: LinkAuthenticator(verifier: ours.verifier, ownNodeId: a.nodeId))
        #expect(throws: LinkError.self) { try anchored.checkPeersDuringHandshake(check) }
    }
}
