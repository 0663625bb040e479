import Crypto
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
