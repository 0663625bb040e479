import Config
import Crypto
import Enrollment
import Link
import Wire

extension SelftestEnrollment {
    /// A configuration signed by a signer certificate of the root; verified; one flipped byte
    /// in the signed element must make it fail.
    func signedConfiguration(_ root: CertificateIssuer) throws(Failure) -> ([UInt8], OverlayConfiguration) {
        let signerKey = try SelftestEnrollment.crypto("signer key") { () throws(CryptoError) in try PrivateKey.generateP256(using: random) }
        let signerId = try SelftestEnrollment.crypto("signer Node-ID") { () throws(CryptoError) in try random.bytes(16) }
        let signer = try SelftestEnrollment.crypto("signer certificate") { () throws(CryptoError) -> Certificate in
            try Certificate(der: root.issueNodeCertificate(
                publicKey: signerKey.publicKey(), nodeIds: [signerId], userName: "signer@" + SelftestEnrollment.overlay,
                overlay: SelftestEnrollment.overlay, serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore,
                notAfter: notAfter, using: random))
        }
        var configuration = OverlayConfiguration(instanceName: SelftestEnrollment.overlay)
        configuration.rootCertificates = [root.certificate.der]
        configuration.configurationSigners = [signerId]
        configuration.kindSigners = [signerId]
        configuration.requiredKinds = [KindDefinition(
            identifier: .name("SIP-REGISTRATION"), dataModel: .dictionary, accessControl: .userNodeMatch, maxCount: 16, maxSize: 1024)]
        let document = try SelftestEnrollment.enrollment("signing") { () throws(EnrollmentError) in
            try ConfigurationSignature.signedDocument(configuration, key: signerKey, certificate: signer, using: random)
        }
        let verifier = try SelftestEnrollment.crypto("verifier") { () throws(CryptoError) in
            try IdentityVerifier(overlayName: SelftestEnrollment.overlay, nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
        }
        guard let signed = try? OverlayDocument.parse(document).configurations.first else {
            throw Failure(reason: "the signed configuration does not parse")
        }
        try SelftestEnrollment.enrollment("configuration signature") { () throws(EnrollmentError) in
            try ConfigurationSignature.verify(signed, verifier: verifier, now: now.civilTime)
        }
        var flipped = signed.signedBytes
        flipped[flipped.count / 2] ^= 0x01
        if (try? ConfigurationSignature.verify(
            flipped, signature: signed.signatures[0], signers: [signerId], verifier: verifier, now: now.civilTime))
            != nil
        {
            throw Failure(reason: "a configuration with a flipped byte was accepted")
        }
        return (document, configuration)
    }

    func makeService(_ root: CertificateIssuer, document: [UInt8]) throws(Failure) -> EnrollmentService {
        var accounts = AccountsFile()
        let hash = try SelftestEnrollment.crypto("password hash") { () throws(CryptoError) in
            try PasswordHash.create(password: Array("alice-pw".utf8), iterations: CryptoLimits.passwordIterationRange.lowerBound, using: random)
        }
        try SelftestEnrollment.enrollment("account") { () throws(EnrollmentError) in
            try accounts.add(Account(name: "alice", passwordHash: hash))
        }
        let authority = try SelftestEnrollment.enrollment("authority") { () throws(EnrollmentError) in
            try EnrollmentAuthority(
                issuer: root, overlayName: SelftestEnrollment.overlay, nodeIdLength: 16, accounts: accounts,
                ledger: EnrollmentLedger(), using: random)
        }
        return EnrollmentService(authority: authority, configurationDocument: document, revocationList: [])
    }

    /// The HTTPS server (certificate for the overlay name, no client certificate asked) and a
    /// client that trusts only the root and checks the overlay name.
    func sessions(_ root: CertificateIssuer) throws(Failure) -> (client: SecureSession, server: SecureSession) {
        let serverKey = try SelftestEnrollment.crypto("server key") { () throws(CryptoError) in try PrivateKey.generateP256(using: random) }
        let serverCertificate = try SelftestEnrollment.crypto("server certificate") { () throws(CryptoError) -> Certificate in
            try Certificate(der: root.issueServerCertificate(
                publicKey: serverKey.publicKey(), dnsNames: [SelftestEnrollment.overlay], ipAddresses: [],
                serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random))
        }
        return try SelftestEnrollment.link("TLS") { () throws(LinkError) -> (SecureSession, SecureSession) in
            let serverConfiguration = try SecureSessionConfiguration(
                role: .server, transport: .stream, certificateChain: [serverCertificate], privateKey: serverKey, trust: .notRequested,
                random: random)
            let clientConfiguration = try SecureSessionConfiguration(
                role: .client, transport: .stream, certificateChain: [], privateKey: nil,
                trust: .anchors([root.certificate], revocationListDER: nil), random: random)
            let start = Instant(nanoseconds: 1_000_000_000)
            return (try SecureSession(connectingWith: clientConfiguration, serverName: SelftestEnrollment.overlay, now: start),
                    try SecureSession(acceptingWith: serverConfiguration, now: start))
        }
    }
}
