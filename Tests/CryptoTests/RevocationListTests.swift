@testable import Crypto
import Testing

@Suite struct RevocationListTests {
    let random = Fixture.random(7)

    func issue(_ root: CertificateIssuer, serial: [UInt8]) throws -> Certificate {
        let key = try PrivateKey.generateP256(using: random)
        return try Certificate(der: root.issueNodeCertificate(
            publicKey: key.publicKey(), nodeIds: [Fixture.nodeId(serial[0])], userName: "u@overlay.example.org",
            overlay: Fixture.overlay, serial: serial, notBefore: Fixture.notBefore, notAfter: Fixture.notAfter,
            using: random))
    }

    @Test func createParseVerifyAndLookUp() throws {
        let root = try Fixture.root(random)
        let revokedCertificate = try issue(root, serial: [0x40, 1, 2, 3])
        let goodCertificate = try issue(root, serial: [0x40, 9, 9, 9])
        let entries = [
            RevokedCertificate(serialNumber: revokedCertificate.serialNumber, revocationDate: Fixture.now),
            RevokedCertificate(serialNumber: [0x00, 0x80, 0x01], revocationDate: Fixture.now),
            RevokedCertificate(serialNumber: revokedCertificate.serialNumber, revocationDate: Fixture.now),
        ]
        let der = try RevocationList.create(
            issuer: root, revoked: entries, number: 7, thisUpdate: Fixture.now,
            nextUpdate: CertificateTime(year: 2026, month: 7, day: 1), using: random)
        let list = try RevocationList(der: der)
        try list.verifySignature(issuer: root.certificate)
        #expect(list.revokedCertificates.count == 2)
        #expect(list.isRevoked(revokedCertificate))
        #expect(!list.isRevoked(goodCertificate))
        #expect(list.isRevoked(serialNumber: [0x80, 0x01]))
        #expect(list.thisUpdate == Fixture.now)
        #expect(list.nextUpdate == CertificateTime(year: 2026, month: 7, day: 1))
        #expect(list.der == der)
    }

    /// RFC 5280 §5.2.3: the cRLNumber orders lists of one issuer; thisUpdate decides only
    /// between lists without one. The verifier refuses a lower number even with a later time.
    @Test func numberOrdersListsAndStalenessFollowsNextUpdate() throws {
        let root = try Fixture.root(random)
        let nextUpdate = CertificateTime(year: 2026, month: 7, day: 1)
        func list(_ number: UInt64, _ thisUpdate: CertificateTime) throws -> RevocationList {
            try RevocationList(der: RevocationList.create(
                issuer: root, revoked: [], number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, using: random))
        }
        let seven = try list(7, Fixture.now)
        let big = try list(0x1_0000_0000, Fixture.now)
        let laterButLower = try list(6, CertificateTime(year: 2026, month: 6, day: 1))
        #expect(seven.number == [7])
        #expect(seven.numberText == "7")
        #expect(big.number == [1, 0, 0, 0, 0])
        #expect(big.numberText == "4294967296")
        #expect(big.sequenceOrder(comparedWith: seven) == 1)
        #expect(seven.sequenceOrder(comparedWith: big) == -1)
        #expect(laterButLower.sequenceOrder(comparedWith: seven) == -1)
        #expect(seven.sequenceOrder(comparedWith: try list(7, Fixture.now)) == 0)
        #expect(!seven.isStale(at: Fixture.now))
        #expect(seven.isStale(at: CertificateTime(year: 2026, month: 7, day: 2)))
        let verifier = try IdentityVerifier(overlayName: Fixture.overlay, nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
        try verifier.setRevocationList(seven)
        #expect(throws: CryptoError.malformed("CRL older than the one in use")) { try verifier.setRevocationList(laterButLower) }
        try verifier.setRevocationList(big)
        #expect(verifier.revocationList?.number == [1, 0, 0, 0, 0])
    }

    @Test func numberIsReadFromHandWrittenExtensions() throws {
        // [0] { SEQUENCE { SEQUENCE { OID 2.5.29.20, OCTET STRING { INTEGER 0x00 0x80 } } } }
        let crlNumber: [UInt8] = [0x30, 0x0A, 0x06, 0x03, 0x55, 0x1D, 0x14, 0x04, 0x03, 0x02, 0x01, 0x05]
        let wrapped: [UInt8] = [0xA0, 0x0E, 0x30, 0x0C] + crlNumber
        #expect(try RevocationList.number(inExtensions: wrapped) == [5])
        #expect(try RevocationList.number(inExtensions: Array(wrapped[2...])) == [5])
        #expect(try RevocationList.number(inExtensions: []) == nil)
        var negative = Array(wrapped[2...])
        negative[negative.count - 1] = 0x85
        #expect(throws: CryptoError.malformed("cRLNumber is not an INTEGER of 0...20 octets")) {
            try RevocationList.number(inExtensions: negative)
        }
        let twice: [UInt8] = [0x30, 0x18] + crlNumber + crlNumber
        #expect(throws: CryptoError.malformed("CRL with two cRLNumber extensions")) { try RevocationList.number(inExtensions: twice) }
    }

    @Test func emptyListOmitsTheRevokedSequence() throws {
        let root = try Fixture.root(random)
        let der = try RevocationList.create(
            issuer: root, revoked: [], number: 1, thisUpdate: Fixture.now, nextUpdate: Fixture.notAfter, using: random)
        let list = try RevocationList(der: der)
        try list.verifySignature(issuer: root.certificate)
        #expect(list.revokedCertificates.isEmpty)
    }

    @Test func otherIssuerAndFlippedBytesAreRefused() throws {
        let root = try Fixture.root(random)
        let other = try CertificateIssuer.createRoot(
            key: PrivateKey.generateP256(using: random), commonName: "other root", serial: [2],
            notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let sameName = try CertificateIssuer.createRoot(
            key: PrivateKey.generateP256(using: random), commonName: "p2psip root overlay.example.org", serial: [3],
            notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let der = try RevocationList.create(
            issuer: root, revoked: [RevokedCertificate(serialNumber: [5], revocationDate: Fixture.now)], number: 2,
            thisUpdate: Fixture.now, nextUpdate: Fixture.notAfter, using: random)
        let list = try RevocationList(der: der)
        #expect(throws: CryptoError.invalidSignature("CRL issued by another name")) {
            try list.verifySignature(issuer: other.certificate)
        }
        #expect(throws: CryptoError.invalidSignature("CRL signature does not verify")) {
            try list.verifySignature(issuer: sameName.certificate)
        }
        var flipped = der
        flipped[flipped.count - 4] ^= 0x01
        if let parsed = try? RevocationList(der: flipped) {
            #expect(throws: CryptoError.self) { try parsed.verifySignature(issuer: root.certificate) }
        }
        #expect(throws: CryptoError.self) { try RevocationList(der: Array(der.dropLast())) }
        #expect(throws: CryptoError.self) { try RevocationList(der: der + [0]) }
        #expect(throws: CryptoError.self) { try RevocationList(der: []) }
    }

    @Test func opensslAcceptsTheCRL() throws {
        guard OpenSSLScratch.hasOpenSSL else {
            print("skipped: openssl not installed")
            return
        }
        let root = try Fixture.root(random)
        let der = try RevocationList.create(
            issuer: root,
            revoked: [
                RevokedCertificate(serialNumber: [0x40, 1, 2, 3], revocationDate: Fixture.now),
                RevokedCertificate(serialNumber: [0x7F, 0xFF], revocationDate: Fixture.now),
            ],
            number: 42, thisUpdate: Fixture.now, nextUpdate: Fixture.notAfter, using: random)
        let tool = try OpenSSLScratch()
        try tool.write("crl.der", der)
        try tool.write("root.pem", PEM.encode(root.certificate.der, label: "CERTIFICATE"))
        let checked = try tool.openssl(["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "root.pem", "-noout"])
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("verify OK"), "\(checked.output)")
        let text = try tool.openssl(["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"])
        #expect(text.output.contains("Serial Number: 40010203"), "\(text.output)")
        #expect(text.output.contains("Serial Number: 7FFF"), "\(text.output)")
        #expect(text.output.contains("X509v3 CRL Number: \n                42"), "\(text.output)")
        #expect(text.output.contains("Version 2"), "\(text.output)")
        // And with a different root, openssl refuses it.
        let other = try CertificateIssuer.createRoot(
            key: PrivateKey.generateP256(using: random), commonName: "p2psip root overlay.example.org", serial: [3],
            notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        try tool.write("other.pem", PEM.encode(other.certificate.der, label: "CERTIFICATE"))
        let refused = try tool.openssl(["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "other.pem", "-noout"])
        #expect(!refused.output.contains("verify OK"), "\(refused.output)")
    }
}
