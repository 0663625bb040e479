@testable import Crypto
import Testing
import Wire

@Suite struct SelfSignedIdentityTests {
    let random = Fixture.random(3)

    func verifier(_ policy: SelfSignedPolicy?, length: Int = 16, roots: [Certificate] = []) throws -> IdentityVerifier {
        return try IdentityVerifier(overlayName: Fixture.overlay, nodeIdLength: length, roots: roots, selfSigned: policy)
    }

    @Test func nodeIdIsTheDigestOfTheKey() throws {
        let created = try SelfSignedIdentity.create(
            userName: "carol@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16,
            policy: SelfSignedPolicy(digest: .sha256, workBits: 0), maximumAttempts: 0, notBefore: Fixture.notBefore,
            notAfter: Fixture.notAfter, using: random)
        let certificate = try Certificate(der: created.certificate)
        let spki = try created.key.publicKeyDER()
        let expected = Array(SHA256.hash(spki)[0..<16])
        let identity = try verifier(SelfSignedPolicy(digest: .sha256, workBits: 0)).verify(
            chain: [certificate], nodeId: expected, now: Fixture.now)
        #expect(identity.isSelfSigned)
        #expect(identity.nodeIds == [expected])
        #expect(identity.userName == "carol@overlay.example.org")
        #expect(certificate.subject == "CN=" + Hex.encode(expected))
        // The digest must be the one the overlay names.
        #expect(throws: CryptoError.rejected(.selfSignedNodeIdMismatch)) {
            try verifier(SelfSignedPolicy(digest: .sha1, workBits: 0)).verify(chain: [certificate], now: Fixture.now)
        }
        #expect(throws: CryptoError.rejected(.selfSignedNotPermitted)) {
            try verifier(nil, roots: [Fixture.root(random).certificate]).verify(chain: [certificate], now: Fixture.now)
        }
    }

    @Test func severalNodeIdsAndSHA1() throws {
        let policy = SelfSignedPolicy(digest: .sha1, workBits: 0, maximumNodeIds: 3)
        let created = try SelfSignedIdentity.create(
            userName: "dave@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 20, nodeIdCount: 3,
            policy: policy, maximumAttempts: 0, notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let spki = try created.key.publicKeyDER()
        let expected = (1...3).map { index in SHA1.hash([0, 0, 0, UInt8(index)] + spki) }
        let identity = try verifier(policy, length: 20).verify(
            chain: [Certificate(der: created.certificate)], now: Fixture.now)
        #expect(identity.nodeIds == expected)
    }

    /// The safe defaults of self-signed mode (§13.3): a real proof of work, one Node-ID per key.
    @Test func defaultsAreSafe() {
        let policy = SelfSignedPolicy(digest: .sha256)
        #expect(policy.workBits >= 20)
        #expect(policy.workBits == SelfSignedPolicy.defaultWorkBits)
        #expect(policy.maximumNodeIds == 1)
    }

    /// A certificate with more Node-IDs than the overlay allows is refused, even when every
    /// one of them is the digest of the key (§11.3.1); and none is made.
    @Test func moreNodeIdsThanAllowedAreRefused() throws {
        let generous = SelfSignedPolicy(digest: .sha256, workBits: 0, maximumNodeIds: 2)
        let created = try SelfSignedIdentity.create(
            userName: "dave@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16, nodeIdCount: 2,
            policy: generous, maximumAttempts: 0, notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let certificate = try Certificate(der: created.certificate)
        #expect(try verifier(generous).verify(chain: [certificate], now: Fixture.now).nodeIds.count == 2)
        let strict = SelfSignedPolicy(digest: .sha256, workBits: 0)
        #expect(throws: CryptoError.rejected(.malformedIdentity("self-signed certificate with 2 Node-IDs, the overlay allows 1"))) {
            try verifier(strict).verify(chain: [certificate], now: Fixture.now)
        }
        #expect(throws: CryptoError.self) {
            try SelfSignedIdentity.create(
                userName: "dave@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16, nodeIdCount: 2,
                policy: strict, maximumAttempts: 0, notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        }
    }

    @Test func chosenNodeIdIsRefused() throws {
        let key = try PrivateKey.generateP256(using: random)
        let writer = CertificateWriter()
        try writer.setSerial([1])
        try writer.setValidity(notBefore: Fixture.notBefore, notAfter: Fixture.notAfter)
        try writer.setNames(subject: "CN=me", issuer: "CN=me")
        writer.setKeys(subject: key.context, issuer: key.context)
        try writer.setUsage(certificateAuthority: false, keyUsage: 0x80)
        try writer.setSubjectAltNames(
            CertificateIssuer.nodeNames(nodeIds: [Fixture.nodeId(0x55)], userName: "eve@overlay.example.org",
                                        overlay: Fixture.overlay), critical: false)
        let certificate = try Certificate(der: writer.der(using: random))
        #expect(throws: CryptoError.rejected(.selfSignedNodeIdMismatch)) {
            try verifier(SelfSignedPolicy(digest: .sha256, workBits: 0)).verify(chain: [certificate], now: Fixture.now)
        }
    }

    @Test func selfSignatureMustVerify() throws {
        let created = try SelfSignedIdentity.create(
            userName: "carol@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16,
            policy: SelfSignedPolicy(digest: .sha256, workBits: 0), maximumAttempts: 0, notBefore: Fixture.notBefore,
            notAfter: Fixture.notAfter, using: random)
        var der = created.certificate
        der[der.count - 3] ^= 0x01
        let certificate = try Certificate(der: der)
        #expect(throws: CryptoError.rejected(.selfSignedSignatureInvalid)) {
            try verifier(SelfSignedPolicy(digest: .sha256, workBits: 0)).verify(chain: [certificate], now: Fixture.now)
        }
    }

    @Test func proofOfWork() throws {
        let policy = SelfSignedPolicy(digest: .sha256, workBits: 10)
        let created = try SelfSignedIdentity.create(
            userName: "carol@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16, policy: policy,
            maximumAttempts: 1 << 20, notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let certificate = try Certificate(der: created.certificate)
        _ = try verifier(policy).verify(chain: [certificate], now: Fixture.now)
        let nonce = try #require(try ProofOfWork.nonce(in: certificate))
        let found = ProofOfWork.leadingZeroBits(
            ProofOfWork.workHash(subjectPublicKeyInfo: try created.key.publicKeyDER(), nonce: nonce))
        #expect(found >= 10)
        #expect(throws: CryptoError.rejected(.insufficientWork(required: found + 1, found: found))) {
            try verifier(SelfSignedPolicy(digest: .sha256, workBits: found + 1)).verify(chain: [certificate], now: Fixture.now)
        }
        // Without any nonce.
        let lazy = try SelfSignedIdentity.create(
            userName: "carol@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16,
            policy: SelfSignedPolicy(digest: .sha256, workBits: 0), maximumAttempts: 0, notBefore: Fixture.notBefore,
            notAfter: Fixture.notAfter, using: random)
        #expect(throws: CryptoError.rejected(.insufficientWork(required: 10, found: 0))) {
            try verifier(policy).verify(chain: [Certificate(der: lazy.certificate)], now: Fixture.now)
        }
        // The search is bounded.
        #expect(throws: CryptoError.searchExhausted("no proof of work of 30 bits in 100 attempts")) {
            try SelfSignedIdentity.create(
                userName: "carol@overlay.example.org", overlay: Fixture.overlay, nodeIdLength: 16,
                policy: SelfSignedPolicy(digest: .sha256, workBits: 30), maximumAttempts: 100,
                notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        }
    }

    @Test func leadingZeroBits() {
        #expect(ProofOfWork.leadingZeroBits([0x80]) == 0)
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x01]) == 15)
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x00]) == 16)
        #expect(ProofOfWork.leadingZeroBits([0x0F, 0xFF]) == 4)
    }
}

@Suite struct ReloadURITests {
    @Test func formatAndParse() throws {
        let id = Fixture.nodeId(0xAB)
        let uri = ReloadURI.peer(nodeId: id, overlay: "overlay.example.org")
        #expect(uri == "reload://0110abababababababababababababababab@overlay.example.org/")
        #expect(try ReloadURI.nodeId(fromPeerURI: uri, overlay: "overlay.example.org", nodeIdLength: 16) == id)
        #expect(try ReloadURI.nodeId(
            fromPeerURI: "RELOAD://0110ABABABABABABABABABABABABABABABAB@Overlay.Example.org/", overlay: "overlay.example.org",
            nodeIdLength: 16) == id)
    }

    @Test(arguments: [
        "reload://0110abababababababababababababababab@overlay.example.org",  // no slash
        "reload://0110abababababababababababababababab@overlay.example.org/00",  // specifier
        "reload://0110abababababababababababababababab@other.example.org/",  // overlay
        "reload://0210abababababababababababababababab@overlay.example.org/",  // resource type
        "reload://0114abababababababababababababababab@overlay.example.org/",  // length 20
        "reload://0110ababababababababababababababab@overlay.example.org/",  // short
        "reload://0110abababababababababababababababab0102@overlay.example.org/",  // two entries
        "reload://0110abababababababababababababababa@overlay.example.org/",  // odd digits
        "reload://0110abababababababababababababababzz@overlay.example.org/",  // not hex
        "reload://@overlay.example.org/", "reload://0110ab", "http://0110ab@x/", "reload://01",
        "reload://0110abababababababababababababababab@over%6cay.example.org/",  // pct-encoded
        "reload://0110abababababababababababababababab@@overlay.example.org/",
    ])
    func malformed(uri: String) {
        #expect(throws: CryptoError.self) {
            try ReloadURI.nodeId(fromPeerURI: uri, overlay: "overlay.example.org", nodeIdLength: 16)
        }
    }

    @Test func userNames() {
        #expect(UserName.isValid("alice@overlay.example.org"))
        #expect(UserName.isValid("a.b+c_d%e-f@x"))
        for bad in ["alice", "@x", "a@", "a@b@c", "a b@x", "a@-x", "a@x-", "a@x..y", "a\u{0}@x", "ä@x",
                    String(repeating: "a", count: 65) + "@x"] {
            #expect(!UserName.isValid(bad), "\(bad)")
        }
    }
}
