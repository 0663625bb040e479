import Config
import Crypto
import Enrollment
import Testing
import Wire

/// RFC 6940 §11.1 signatures over the configuration element and each kind element.
@Suite struct ConfigurationSignatureTests {
    struct Signer {
        let key: PrivateKey
        let certificate: Certificate
        let nodeId: [UInt8]
    }

    static func signer(_ fixture: EnrollmentFixture, issuer: CertificateIssuer? = nil) throws -> Signer {
        let key = try PrivateKey.generateP256(using: fixture.random)
        let nodeId = try fixture.random.bytes(16)
        let der = try (issuer ?? fixture.root).issueNodeCertificate(
            publicKey: key.publicKey(), nodeIds: [nodeId], userName: "configuration-signer@" + EnrollmentFixture.overlay,
            overlay: EnrollmentFixture.overlay, serial: CertificateIssuer.randomSerial(using: fixture.random),
            notBefore: CivilTime(year: 2026, month: 1, day: 2), notAfter: CivilTime(year: 2030, month: 1, day: 1),
            using: fixture.random)
        return Signer(key: key, certificate: try Certificate(der: der), nodeId: nodeId)
    }

    static func configuration(_ fixture: EnrollmentFixture, signers: [[UInt8]]) -> OverlayConfiguration {
        var configuration = OverlayConfiguration(instanceName: EnrollmentFixture.overlay)
        configuration.sequence = 1
        configuration.expiresAtSeconds = EnrollmentFixture.now(86_400).secondsSince1970
        configuration.rootCertificates = [fixture.root.certificate.der]
        configuration.configurationSigners = signers
        configuration.kindSigners = signers
        configuration.requiredKinds = [
            KindDefinition(identifier: .name("SIP-REGISTRATION"), dataModel: .dictionary, accessControl: .userNodeMatch,
                           maxCount: 16, maxSize: 1024),
            KindDefinition(identifier: .id(0xF000_0001), dataModel: .dictionary, accessControl: .userMatch, maxCount: 64, maxSize: 1024),
        ]
        return configuration
    }

    static func parse(_ document: [UInt8]) throws -> SignedConfiguration {
        return try #require(try OverlayDocument.parse(document).configurations.first)
    }

    let now = EnrollmentFixture.now(60).civilTime

    @Test func signedDocumentVerifiesAndSurvivesParsing() throws {
        let fixture = try EnrollmentFixture()
        let signer = try Self.signer(fixture)
        let configuration = Self.configuration(fixture, signers: [signer.nodeId])
        let document = try ConfigurationSignature.signedDocument(
            configuration, key: signer.key, certificate: signer.certificate, using: fixture.random)
        let signed = try Self.parse(document)
        #expect(signed.configuration == configuration)
        #expect(signed.signatures.count == 1 && signed.kindSignatures.count == 2)
        try ConfigurationSignature.verify(signed, verifier: fixture.verifier(), now: now)
    }

    @Test func everyAlteredByteOfTheConfigurationElementIsRefused() throws {
        let fixture = try EnrollmentFixture()
        let signer = try Self.signer(fixture)
        let document = try ConfigurationSignature.signedDocument(
            Self.configuration(fixture, signers: [signer.nodeId]), key: signer.key, certificate: signer.certificate,
            using: fixture.random)
        let signed = try Self.parse(document)
        let verifier = try fixture.verifier()
        // A whitespace change inside the signed blob ("MUST be treated as a binary blob").
        var bytes = signed.signedBytes
        let newline = try #require(bytes.firstIndex(of: 0x0A))
        bytes.insert(0x20, at: newline)
        let signature = signed.signatures[0]
        #expect(throws: EnrollmentError.self) {
            _ = try ConfigurationSignature.verify(bytes, signature: signature, signers: [signer.nodeId], verifier: verifier, now: now)
        }
        // Every 97th byte flipped in turn.
        for index in stride(from: 0, to: signed.signedBytes.count, by: 97) {
            var flipped = signed.signedBytes
            flipped[index] ^= 0x01
            #expect(throws: EnrollmentError.self) {
                _ = try ConfigurationSignature.verify(flipped, signature: signature, signers: [signer.nodeId], verifier: verifier, now: now)
            }
        }
    }

    @Test func signerMustBeListedAndChainToTheTrustedRoot() throws {
        let fixture = try EnrollmentFixture()
        let signer = try Self.signer(fixture)
        let unlisted = try Self.signer(fixture)
        // Signed by a valid overlay identity that the configuration does not name as signer.
        let document = try ConfigurationSignature.signedDocument(
            Self.configuration(fixture, signers: [signer.nodeId]), key: unlisted.key, certificate: unlisted.certificate,
            using: fixture.random)
        #expect(throws: EnrollmentError.self) {
            try ConfigurationSignature.verify(try Self.parse(document), verifier: fixture.verifier(), now: now)
        }
        // A signer of another root that lists itself: refused, the trusted root does not vouch for it.
        let other = try EnrollmentFixture(seed: 9)
        let foreign = try Self.signer(other)
        let forged = try ConfigurationSignature.signedDocument(
            Self.configuration(fixture, signers: [foreign.nodeId]), key: foreign.key, certificate: foreign.certificate,
            using: fixture.random)
        do {
            try ConfigurationSignature.verify(try Self.parse(forged), verifier: fixture.verifier(), now: now)
            Issue.record("a foreign signer was accepted")
        } catch let error as EnrollmentError {
            #expect(error.description.contains("signer certificate"))
        }
    }

    @Test func unsignedKindsUnsignedConfigurationsAndExpiredOnesAreRefused() throws {
        let fixture = try EnrollmentFixture()
        let signer = try Self.signer(fixture)
        var configuration = Self.configuration(fixture, signers: [signer.nodeId])
        // Configuration signed, kinds not.
        let element = OverlayConfigurationWriter.configurationElement(configuration)
        let signature = try ConfigurationSignature.sign(element, key: signer.key, certificate: signer.certificate, using: fixture.random)
        let kindsUnsigned = OverlayConfigurationWriter.document([(configurationElement: element, signature: signature)])
        #expect(throws: EnrollmentError.signature("kind-block 1 has no kind-signature")) {
            try ConfigurationSignature.verify(try Self.parse(kindsUnsigned), verifier: fixture.verifier(), now: now)
        }
        #expect(throws: EnrollmentError.self) {
            try ConfigurationSignature.verify(
                try Self.parse(OverlayConfigurationWriter.document([configuration])), verifier: fixture.verifier(), now: now)
        }
        configuration.expiresAtSeconds = EnrollmentFixture.now(30).secondsSince1970
        let expired = try ConfigurationSignature.signedDocument(
            configuration, key: signer.key, certificate: signer.certificate, using: fixture.random)
        #expect(throws: EnrollmentError.self) {
            try ConfigurationSignature.verify(try Self.parse(expired), verifier: fixture.verifier(), now: now)
        }
    }
}
