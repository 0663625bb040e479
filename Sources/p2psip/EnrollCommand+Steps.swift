import Config
import Crypto
import Enrollment
import HTTP
import HTTPS
import Link
import Platform
import Wire

extension EnrollCommand {
    static func execute(_ options: Options) throws(CommandFailure) {
        let directory = IdentityDirectory(path: options.directory)
        try directory.checkEmpty()
        let random = try CommandSupport.random()
        let tls: SecureSessionConfiguration
        do throws(LinkError) {
            tls = try SecureSessionConfiguration(
                role: .client, transport: .stream, certificateChain: [], privateKey: nil,
                trust: .anchors([options.rootCertificate], revocationListDER: nil), random: random)
        } catch {
            throw .failed("TLS configuration: \(error.description)")
        }
        let (document, signed) = try fetchConfiguration(options, tls: tls)
        let configuration = signed.configuration
        let key: PrivateKey
        let csr: [UInt8]
        do throws(CryptoError) {
            key = try PrivateKey.generateP256(using: random)
            csr = try CertificateSigningRequest.create(subject: "CN=" + options.user, key: key, using: random)
        } catch {
            throw .failed("key and CSR: \(error.description)")
        }
        let (certificate, identity) = try requestCertificate(options, configuration: configuration, key: key, csr: csr, tls: tls, random: random)
        try directory.store(key: key, certificate: certificate.der)
        try directory.write(IdentityDirectory.rootCertificate, PEM.encode(options.rootCertificate.der, label: "CERTIFICATE"), mode: 0o644)
        try directory.write(IdentityDirectory.configuration, document, mode: 0o644)
        Console.out("enrolled \(identity.userName) in overlay \(configuration.instanceName)")
        for nodeId in identity.nodeIds { Console.out("  Node-ID \(Hex.encode(nodeId))") }
        Console.out("  valid until \(identity.notAfter.description); key, certificate, root and configuration in \(options.directory)")
    }

    /// Step 1 (§11.2): GET /.well-known/reload-config, then check it before believing a word:
    /// the signature of a configuration-signer whose certificate chains to the trusted root, a
    /// signature on every kind, not expired, and the trusted root among its root-certs.
    static func fetchConfiguration(
        _ options: Options, tls: SecureSessionConfiguration
    ) throws(CommandFailure) -> (document: [UInt8], signed: SignedConfiguration) {
        let step = "configuration"
        let request = EnrollmentClient.getRequest(host: options.location.authority, path: EnrollmentService.configurationPath)
        // §11.2: with a URL given, the server's certificate must match its domain name.
        let serverName = options.location.hostIsAddress ? nil : options.location.host
        let response = try exchange(
            request, to: options.address, timeLimitMilliseconds: options.timeLimitMilliseconds, serverName: serverName, tls: tls,
            step: step)
        guard response.status == 200 else {
            throw .failed("\(step): the server answered \(response.status) \(printable(response.body))")
        }
        let signed: SignedConfiguration
        do throws(OverlayConfigError) {
            let document = try OverlayDocument.parse(response.body)
            signed = try select(document, overlay: options.overlay)
        } catch {
            throw .failed("\(step): \(error.description)")
        }
        let configuration = signed.configuration
        do throws(CryptoError) {
            let verifier = try IdentityVerifier(
                overlayName: configuration.instanceName, nodeIdLength: configuration.nodeIdLength,
                roots: [options.rootCertificate], selfSigned: nil)
            try verifySignatures(signed, verifier: verifier)
        } catch {
            throw .failed("\(step): \(error.description)")
        }
        guard configuration.rootCertificates.contains(options.rootCertificate.der) else {
            throw .failed("\(step): the configuration does not list the root you trust among its root-certs")
        }
        return (response.body, signed)
    }

    static func verifySignatures(_ signed: SignedConfiguration, verifier: IdentityVerifier) throws(CryptoError) {
        do throws(EnrollmentError) {
            try ConfigurationSignature.verify(signed, verifier: verifier, now: Clock.wallNow().civilTime)
        } catch {
            throw .malformed(error.description)
        }
    }

    /// The configuration named by --overlay, or the only one.
    static func select(_ document: OverlayDocument, overlay: String?) throws(OverlayConfigError) -> SignedConfiguration {
        let names = document.configurations.map { $0.configuration.instanceName }
        let location = SourceLocation(line: 1, column: 1)
        if let overlay {
            guard let found = document.configuration(instanceName: overlay) else {
                throw .missing(element: "overlay", what: "a configuration for \(overlay) (it has \(names.joined(separator: ", ")))", location)
            }
            return found
        }
        guard document.configurations.count == 1 else {
            throw .duplicate(element: "overlay", what: "configurations (\(names.joined(separator: ", "))): choose one with --overlay", location)
        }
        return document.configurations[0]
    }
}
