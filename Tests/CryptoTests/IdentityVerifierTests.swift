@testable import Crypto
import Testing
import Wire

@Suite struct IdentityVerifierTests {
    let random = Fixture.random(9)

    func enroll(
        _ root: CertificateIssuer, ids: [[UInt8]] = [Fixture.nodeId(0x11)], overlay: String = Fixture.overlay,
        notBefore: CertificateTime = Fixture.notBefore, notAfter: CertificateTime = Fixture.notAfter
    ) throws -> Certificate {
        let key = try PrivateKey.generateP256(using: random)
        return try Certificate(der: root.issueNodeCertificate(
            publicKey: key.publicKey(), nodeIds: ids, userName: "alice@overlay.example.org", overlay: overlay,
            serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter,
            using: random))
    }

    func verifier(_ root: CertificateIssuer, selfSigned: SelfSignedPolicy? = nil) throws -> IdentityVerifier {
        return try IdentityVerifier(
            overlayName: Fixture.overlay, nodeIdLength: 16, roots: [root.certificate], selfSigned: selfSigned)
    }

    @Test func enrolledCertificateIsAcceptedAndCached() throws {
        let root = try Fixture.root(random)
        let certificate = try enroll(root, ids: [Fixture.nodeId(1), Fixture.nodeId(2)])
        let verifier = try verifier(root)
        let identity = try verifier.verify(chain: [certificate], nodeId: Fixture.nodeId(2), now: Fixture.now)
        #expect(identity.nodeIds == [Fixture.nodeId(1), Fixture.nodeId(2)])
        #expect(identity.userName == "alice@overlay.example.org")
        #expect(!identity.isSelfSigned)
        #expect(identity.notAfter == Fixture.notAfter)
        #expect(verifier.cachedCount == 1 && verifier.cacheHits == 0)
        _ = try verifier.verify(chain: [certificate], now: Fixture.now)
        #expect(verifier.cacheHits == 1)
        #expect(throws: CryptoError.rejected(.nodeIdNotInCertificate)) {
            try verifier.verify(chain: [certificate], nodeId: Fixture.nodeId(3), now: Fixture.now)
        }
    }

    @Test func validityIsCheckedAgainstNowEvenWhenCached() throws {
        let root = try Fixture.root(random)
        let certificate = try enroll(root)
        let verifier = try verifier(root)
        #expect(throws: CryptoError.rejected(.notYetValid)) {
            try verifier.verify(chain: [certificate], now: CertificateTime(year: 2025, month: 12, day: 31))
        }
        #expect(throws: CryptoError.rejected(.expired)) {
            try verifier.verify(chain: [certificate], now: CertificateTime(year: 2027, month: 1, day: 1, second: 1))
        }
        _ = try verifier.verify(chain: [certificate], now: Fixture.now)
        #expect(throws: CryptoError.rejected(.expired)) {
            try verifier.verify(chain: [certificate], now: CertificateTime(year: 2027, month: 2, day: 1))
        }
        #expect(verifier.cachedCount == 0)
    }

    @Test func expiredRootRefusesItsCertificates() throws {
        let root = try Fixture.root(random)  // valid to 2036
        let certificate = try enroll(root, notAfter: CertificateTime(year: 2040, month: 1, day: 1))
        let verifier = try verifier(root)
        #expect(throws: CryptoError.rejected(.expired)) {
            try verifier.verify(chain: [certificate], now: CertificateTime(year: 2037, month: 1, day: 1))
        }
    }

    @Test func revocationAppliesToCachedCertificates() throws {
        let root = try Fixture.root(random)
        let certificate = try enroll(root)
        let other = try enroll(root, ids: [Fixture.nodeId(0x22)])
        let verifier = try verifier(root)
        _ = try verifier.verify(chain: [certificate], now: Fixture.now)
        let crl = try RevocationList(der: RevocationList.create(
            issuer: root, revoked: [RevokedCertificate(serialNumber: certificate.serialNumber, revocationDate: Fixture.now)],
            number: 1, thisUpdate: Fixture.now, nextUpdate: Fixture.notAfter, using: random))
        try verifier.setRevocationList(crl)
        #expect(throws: CryptoError.rejected(.revoked)) { try verifier.verify(chain: [certificate], now: Fixture.now) }
        _ = try verifier.verify(chain: [other], now: Fixture.now)
        let fresh = try self.verifier(root)
        try fresh.setRevocationList(crl)
        #expect(throws: CryptoError.rejected(.revoked)) { try fresh.verify(chain: [certificate], now: Fixture.now) }
        // An older CRL (where the certificate was not yet revoked) cannot be replayed.
        let older = try RevocationList(der: RevocationList.create(
            issuer: root, revoked: [], number: 0, thisUpdate: CertificateTime(year: 2026, month: 2, day: 1),
            nextUpdate: Fixture.notAfter, using: random))
        #expect(throws: CryptoError.malformed("CRL older than the one in use")) { try fresh.setRevocationList(older) }
        #expect(throws: CryptoError.rejected(.revoked)) { try fresh.verify(chain: [certificate], now: Fixture.now) }
    }

    @Test func revocationListOfAnotherRootIsRefused() throws {
        let root = try Fixture.root(random)
        let other = try Fixture.root(Fixture.random(99))
        let crl = try RevocationList(der: RevocationList.create(
            issuer: other, revoked: [], number: 1, thisUpdate: Fixture.now, nextUpdate: Fixture.notAfter, using: random))
        #expect(throws: CryptoError.self) { try verifier(root).setRevocationList(crl) }
    }

    @Test func badNodesAreRefused() throws {
        let root = try Fixture.root(random)
        let certificate = try enroll(root)
        let verifier = try verifier(root)
        _ = try verifier.verify(chain: [certificate], now: Fixture.now)
        verifier.setBadNodes([Fixture.nodeId(0x11)])
        #expect(throws: CryptoError.rejected(.badNode)) { try verifier.verify(chain: [certificate], now: Fixture.now) }
    }

    @Test func foreignRootWrongOverlayAndCAAreRefused() throws {
        let root = try Fixture.root(random)
        let foreign = try CertificateIssuer.createRoot(
            key: PrivateKey.generateP256(using: random), commonName: "p2psip root overlay.example.org", serial: [5],
            notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let verifier = try verifier(root)
        let stranger = try enroll(foreign)
        #expect {
            try verifier.verify(chain: [stranger], now: Fixture.now)
        } throws: { error in
            if case .rejected(.notTrusted) = error as? CryptoError { return true }
            return false
        }
        let elsewhere = try enroll(root, overlay: "other.example.org")
        #expect(throws: CryptoError.rejected(.otherOverlay)) {
            try verifier.verify(chain: [elsewhere], now: Fixture.now)
        }
        #expect(throws: CryptoError.rejected(.authorityAsIdentity)) {
            try verifier.verify(chain: [root.certificate], now: Fixture.now)
        }
        #expect(throws: CryptoError.rejected(.chainLength(0))) { try verifier.verify(chain: [], now: Fixture.now) }
        let certificate = try enroll(root)
        #expect(throws: CryptoError.rejected(.chainLength(5))) {
            try verifier.verify(chain: [Certificate](repeating: certificate, count: 5), now: Fixture.now)
        }
    }

    /// One certificate of a hand-made chain (test-only: CertificateIssuer makes no intermediates).
    func make(
        subject: String, issuer: String, key: PublicKey, signer: PrivateKey, authority: Bool, pathLength: Int32 = 0,
        ids: [[UInt8]]? = nil
    ) throws -> Certificate {
        let writer = CertificateWriter()
        try writer.setSerial(CertificateIssuer.randomSerial(using: random))
        try writer.setValidity(notBefore: Fixture.notBefore, notAfter: Fixture.notAfter)
        try writer.setNames(subject: subject, issuer: issuer)
        writer.setKeys(subject: key.context, issuer: signer.context)
        try writer.setUsage(certificateAuthority: authority, keyUsage: authority ? 0x06 : 0x80, pathLength: pathLength)
        if let ids {
            try writer.setSubjectAltNames(
                CertificateIssuer.nodeNames(nodeIds: ids, userName: "x@overlay.example.org", overlay: Fixture.overlay),
                critical: subject.isEmpty)
        }
        return try withExtendedLifetime(key) { try Certificate(der: writer.der(using: random)) }
    }

    /// basicConstraints: only a CA certificate may issue. The same chain verifies when the
    /// middle certificate is a CA and fails when it is not.
    @Test func onlyCertificateAuthoritiesIssue() throws {
        let rootKey = try PrivateKey.generateP256(using: random)
        let root = try make(subject: "CN=r", issuer: "CN=r", key: rootKey.publicKey(), signer: rootKey, authority: true,
                            pathLength: 1)
        let verifier = try IdentityVerifier(overlayName: Fixture.overlay, nodeIdLength: 16, roots: [root], selfSigned: nil)
        let middleKey = try PrivateKey.generateP256(using: random)
        let leafKey = try PrivateKey.generateP256(using: random)
        for authority in [true, false] {
            let middle = try make(subject: "CN=m", issuer: "CN=r", key: middleKey.publicKey(), signer: rootKey,
                                  authority: authority, ids: authority ? nil : [Fixture.nodeId(7)])
            let leaf = try make(subject: "", issuer: "CN=m", key: leafKey.publicKey(), signer: middleKey,
                                authority: false, ids: [Fixture.nodeId(authority ? 8 : 9)])
            if authority {
                let identity = try verifier.verify(chain: [leaf, middle], now: Fixture.now)
                #expect(identity.nodeIds == [Fixture.nodeId(8)])
            } else {
                #expect {
                    try verifier.verify(chain: [leaf, middle], now: Fixture.now)
                } throws: { error in
                    if case .rejected(.notTrusted(let flags)) = error as? CryptoError { return flags & 0x08 != 0 }
                    return false
                }
            }
        }
    }

    @Test func cacheIsBounded() throws {
        let root = try Fixture.root(random)
        let verifier = try verifier(root)
        var first: Certificate? = nil
        for index in 0..<(CryptoLimits.verificationCacheCapacity + 3) {
            let id = Fixture.nodeId(UInt8(truncatingIfNeeded: index)) + []
            let certificate = try enroll(root, ids: [Array(id.dropLast(2)) + [UInt8(index >> 8), UInt8(index & 0xFF)]])
            if first == nil { first = certificate }
            _ = try verifier.verify(chain: [certificate], now: Fixture.now)
        }
        #expect(verifier.cachedCount == CryptoLimits.verificationCacheCapacity)
        // The first one was evicted (least recently used) and verifies again from scratch.
        let hits = verifier.cacheHits
        _ = try verifier.verify(chain: [try #require(first)], now: Fixture.now)
        #expect(verifier.cacheHits == hits)
    }
}
