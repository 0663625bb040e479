import Crypto
import Link
import Reload
import Testing
import Wire

/// The one link authenticator (RFC 6940 §6.5.1.11, §11.3): every refusal it knows, made with
/// certificates issued here by Crypto's CertificateIssuer with a seeded generator.
@Suite struct LinkAuthenticatorTests {
    static let overlay = "overlay.example.org"
    static let notBefore = CertificateTime(year: 2026, month: 1, day: 1)
    static let notAfter = CertificateTime(year: 2027, month: 1, day: 1)
    static let now = CertificateTime(year: 2026, month: 6, day: 1, hour: 12)

    /// A root, a verifier of the overlay, and a way to issue node certificates.
    struct Overlay {
        let random: RandomGenerator
        let root: CertificateIssuer
        let verifier: IdentityVerifier
        var serial: UInt8 = 10

        init(seed: UInt8, name: String = LinkAuthenticatorTests.overlay) throws {
            random = try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: 96)))
            root = try CertificateIssuer.createRoot(
                key: try PrivateKey.generateP256(using: random), commonName: "root \(seed)", serial: [seed],
                notBefore: LinkAuthenticatorTests.notBefore, notAfter: CertificateTime(year: 2036, month: 1, day: 1), using: random)
            verifier = try IdentityVerifier(overlayName: name, nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
        }

        mutating func chain(
            nodeId: UInt8, user: String = "alice@overlay.example.org", overlay: String = LinkAuthenticatorTests.overlay,
            notBefore: CertificateTime = LinkAuthenticatorTests.notBefore, notAfter: CertificateTime = LinkAuthenticatorTests.notAfter
        ) throws -> (PeerCertificateChain, serial: [UInt8]) {
            serial += 1
            let der = try root.issueNodeCertificate(
                publicKey: try PrivateKey.generateP256(using: random).publicKey(), nodeIds: [[UInt8](repeating: nodeId, count: 16)],
                userName: user, overlay: overlay, serial: [serial], notBefore: notBefore, notAfter: notAfter, using: random)
            return (PeerCertificateChain(certificates: [der], verifiedByTrustAnchors: false, cipherSuite: "test"), [serial])
        }
    }

    static func node(_ byte: UInt8) -> NodeId { NodeId(bytes: [UInt8](repeating: byte, count: 16))! }

    func refusal(_ result: Result<AuthenticatedPeer, LinkAuthenticationRefusal>) -> LinkAuthenticationRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test func aValidChainIsBoundToItsNodeId() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        let expected = try authenticator.authenticate(chain, expected: Self.node(0xAA), now: Self.now).get()
        #expect(expected == AuthenticatedPeer(nodeId: Self.node(0xAA), userName: "alice@overlay.example.org", chain: chain))
        let any = try authenticator.authenticate(chain, expected: nil, now: Self.now).get()
        #expect(any.nodeId == Self.node(0xAA))
    }

    @Test func untrustedRoot() throws {
        var other = try Overlay(seed: 2)
        let ours = try Overlay(seed: 1)
        let (chain, _) = try other.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: ours.verifier, ownNodeId: Self.node(0x01))
        guard case .untrustedRoot? = refusal(authenticator.authenticate(chain, expected: nil, now: Self.now)) else {
            Issue.record("a chain of another root was not refused as untrusted")
            return
        }
    }

    @Test func revoked() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, serial) = try overlay.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: Self.now)) == nil)
        let crl = try RevocationList.create(
            issuer: overlay.root, revoked: [RevokedCertificate(serialNumber: serial, revocationDate: Self.notBefore)], number: 2,
            thisUpdate: Self.notBefore, nextUpdate: Self.notAfter, using: overlay.random)
        try overlay.verifier.setRevocationList(try RevocationList(der: crl))
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: Self.now)) == .revoked)
        // A link that is up is checked again: the same refusal.
        let peer = AuthenticatedPeer(nodeId: Self.node(0xAA), userName: "alice@overlay.example.org", chain: chain)
        #expect(authenticator.recheck(peer, now: Self.now) == .revoked)
    }

    @Test func expiredAndNotYetValid() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: CertificateTime(year: 2027, month: 2, day: 1))) == .expired)
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: CertificateTime(year: 2025, month: 2, day: 1))) == .notYetValid)
    }

    @Test func wrongOverlay() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA, user: "alice@other.example.org", overlay: "other.example.org")
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: Self.now)) == .wrongOverlay)
    }

    @Test func nodeIdMismatch() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        #expect(refusal(authenticator.authenticate(chain, expected: Self.node(0xBB), now: Self.now)) == .nodeIdMismatch(expected: Self.node(0xBB)))
    }

    @Test func badNodeList() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA)
        overlay.verifier.setBadNodes([[UInt8](repeating: 0xAA, count: 16)])
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: Self.now)) == .badNode)
        #expect(refusal(authenticator.authenticate(chain, expected: Self.node(0xAA), now: Self.now)) == .badNode)
    }

    @Test func ourOwnNodeIdIsNoPeer() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0xAA))
        #expect(refusal(authenticator.authenticate(chain, expected: nil, now: Self.now)) == .noUsableNodeId)
        #expect(refusal(authenticator.authenticate(chain, expected: Self.node(0xAA), now: Self.now)) == .noUsableNodeId)
    }

    @Test func aPeerTheCallerDoesNotAcceptIsRefused() throws {
        var overlay = try Overlay(seed: 1)
        let (chain, _) = try overlay.chain(nodeId: 0xAA)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        let result = authenticator.authenticate(chain, expected: nil, now: Self.now) { $0 == Self.node(0xBB) }
        #expect(refusal(result) == .unexpectedPeer(userName: "alice@overlay.example.org"))
    }

    @Test func malformedOrMissingCertificates() throws {
        let overlay = try Overlay(seed: 1)
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        let garbage = PeerCertificateChain(certificates: [[0x30, 0x03, 0x02, 0x01, 0x00]], verifiedByTrustAnchors: false, cipherSuite: "test")
        guard case .malformedCertificate? = refusal(authenticator.authenticate(garbage, expected: nil, now: Self.now)) else {
            Issue.record("garbage DER was not refused as malformed")
            return
        }
        let empty = PeerCertificateChain(certificates: [], verifiedByTrustAnchors: false, cipherSuite: "test")
        #expect(refusal(authenticator.authenticate(empty, expected: nil, now: Self.now)) == .malformedCertificate("no certificate"))
    }

    /// The owner the routing table's Sybil limit counts (§13.6.1): the certified user name; for
    /// a self-signed certificate (§11.3.1), whose user name anyone may choose, its key.
    @Test func ownerIsTheUserOrASelfSignedKey() throws {
        var overlay = try Overlay(seed: 7)
        let (chain, _) = try overlay.chain(nodeId: 0xAB, user: "bob@overlay.example.org")
        let authenticator = LinkAuthenticator(verifier: overlay.verifier, ownNodeId: Self.node(0x01))
        #expect(try authenticator.authenticate(chain, expected: nil, now: Self.now).get().owner == "bob@overlay.example.org")
        let policy = SelfSignedPolicy(digest: .sha256, workBits: 0)
        let verifier = try IdentityVerifier(overlayName: Self.overlay, nodeIdLength: 16, roots: [], selfSigned: policy)
        let selfSigned = LinkAuthenticator(verifier: verifier, ownNodeId: Self.node(0x01))
        var owners: [String] = []
        for _ in 0..<2 {
            let created = try SelfSignedIdentity.create(
                userName: "bob@overlay.example.org", overlay: Self.overlay, nodeIdLength: 16, policy: policy, maximumAttempts: 0,
                notBefore: Self.notBefore, notAfter: Self.notAfter, using: overlay.random)
            let peer = try selfSigned.authenticate(
                PeerCertificateChain(certificates: [created.certificate], verifiedByTrustAnchors: false, cipherSuite: "test"),
                expected: nil, now: Self.now).get()
            #expect(peer.userName == "bob@overlay.example.org")
            #expect(peer.owner == "key:" + Hex.encode(SHA256.hash(try created.key.publicKeyDER())))
            owners.append(peer.owner)
        }
        #expect(owners[0] != owners[1], "two keys are two owners, whatever user name they claim")
    }
}
