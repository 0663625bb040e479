import Crypto
import Testing

@Suite struct CertificateSigningRequestTests {
    @Test func roundTripOwnCSR() throws {
        let random = Fixture.random()
        let key = try PrivateKey.generateP256(using: random)
        let der = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: random)
        let request = try CertificateSigningRequest(der: der)
        #expect(request.requestedNames == ["alice"])
        #expect(try request.publicKeyDER() == key.publicKeyDER())
        #expect(request.der == der)
        let pem = PEM.encode(der, label: "CERTIFICATE REQUEST")
        #expect(try CertificateSigningRequest.parse(pem).der == der)
    }

    /// RFC 6940 §11.3: a CSR may request no user name. Its subject is a Name of no RDN
    /// (SEQUENCE, length 0), which mbedTLS 2.28's own CSR parser refuses; ours reads it.
    @Test func emptySubjectRoundTrip() throws {
        let random = Fixture.random()
        let key = try PrivateKey.generateP256(using: random)
        let der = try CertificateSigningRequest.create(subject: "", key: key, using: random)
        // certificationRequestInfo starts: version INTEGER 0, then the empty subject Name.
        let version: [UInt8] = [0x02, 0x01, 0x00, 0x30, 0x00]
        #expect(der.indices.contains { Array(der[$0..<min($0 + 5, der.count)]) == version })
        let request = try CertificateSigningRequest(der: der)
        #expect(request.requestedNames.isEmpty)
        #expect(try request.publicKeyDER() == key.publicKeyDER())
    }

    @Test func flippedSignatureByteIsRefused() throws {
        let random = Fixture.random()
        let key = try PrivateKey.generateP256(using: random)
        var der = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: random)
        // The signature BIT STRING ends the DER: flip a byte inside its r or s.
        der[der.count - 5] ^= 0x01
        #expect(throws: CryptoError.invalidSignature("CSR self-signature does not verify")) {
            try CertificateSigningRequest(der: der)
        }
    }

    @Test func changedSubjectIsRefused() throws {
        let random = Fixture.random()
        let key = try PrivateKey.generateP256(using: random)
        var der = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: random)
        let alice = Array("alice".utf8)
        let index = try #require(der.indices.first { Array(der[$0..<min($0 + 5, der.count)]) == alice })
        der[index] = UInt8(ascii: "m")
        #expect(throws: CryptoError.invalidSignature("CSR self-signature does not verify")) {
            try CertificateSigningRequest(der: der)
        }
    }

    @Test func garbageAndTruncationAndTrailingBytes() throws {
        let random = Fixture.random()
        let key = try PrivateKey.generateP256(using: random)
        let der = try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: random)
        for cut in [0, 1, 10, der.count / 2, der.count - 1] {
            #expect(throws: CryptoError.self) { try CertificateSigningRequest(der: Array(der[0..<cut])) }
        }
        #expect(throws: CryptoError.malformed("1 bytes after the CSR")) { try CertificateSigningRequest(der: der + [0]) }
        #expect(throws: CryptoError.self) { try CertificateSigningRequest(der: [UInt8](repeating: 0x30, count: 100)) }
        #expect(throws: CryptoError.self) {
            try CertificateSigningRequest(der: [UInt8](repeating: 0, count: CryptoLimits.maximumCSRBytes + 1))
        }
        #expect(throws: CryptoError.self) { try CertificateSigningRequest.parse(Array("-----BEGIN X-----\n".utf8)) }
    }

    @Test(arguments: ["ec", "rsa"])
    func opensslRequestIsAcceptedAndVerifies(kind: String) throws {
        guard OpenSSLScratch.hasOpenSSL else {
            print("skipped: openssl not installed")
            return
        }
        let tool = try OpenSSLScratch()
        let keyOptions = kind == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", "rsa:2048"]
        let made = try tool.openssl(
            ["req", "-new"] + keyOptions + ["-nodes", "-keyout", "key.pem", "-subj", "/CN=alice", "-outform", "DER", "-out", "req.der"])
        try #require(made.status == 0, "\(made.output)")
        let der = try tool.read("req.der")
        let request = try CertificateSigningRequest(der: der)
        #expect(request.requestedNames == ["alice"])
        if kind == "ec" {
            let key = try PrivateKey(encoded: tool.read("key.pem"))
            #expect(try request.publicKeyDER() == key.publicKeyDER())
        } else {
            #expect(request.publicKey().kind == .rsa(bits: 2048))
        }
        var flipped = der
        flipped[flipped.count - 3] ^= 0x80
        #expect(throws: CryptoError.self) { try CertificateSigningRequest(der: flipped) }
    }
}
