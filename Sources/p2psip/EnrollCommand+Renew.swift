import Config
import Crypto
import Enrollment
import HTTP
import HTTPS
import Link
import Platform
import Wire

/// `p2psip enroll --renew --dir DIR [--server URL] [--connect ADDR:PORT] [--timeout-ms MS]`:
/// the same user name and Node-IDs again under a later expiry (RFC 6940 §11.3: "if the same user
/// returns (e.g., to have their certificate re-issued), the enrollment server should return the
/// same Node-IDs"), proven by the identity's key instead of the password (EnrollmentRequest).
/// The server is the configuration's enrollment-server unless --server names one; the TLS
/// session trusts DIR's root only. cert.pem is replaced atomically; the key stays.
extension EnrollCommand {
    static let renewalUsage = "enroll --renew --dir DIR [--server URL] [--connect ADDR:PORT] [--timeout-ms MS]"

    static func runRenewal(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            try renew(arguments)
            return 0
        } catch {
            return error.report("enroll --renew", usage: renewalUsage)
        }
    }

    static func renew(_ arguments: [String]) throws(CommandFailure) {
        let parsed = try CommandOptions.parse(
            arguments, valued: ["--server", "--dir", "--connect", "--timeout-ms"], flags: ["--renew"])
        let directory = IdentityDirectory(path: try parsed.required("--dir"))
        let limits = HTTPSLimits.connectionTimeLimitRange
        let time = UInt64(try parsed.integer("--timeout-ms", in: Int64(limits.lowerBound)...Int64(limits.upperBound), default: 10_000))
        let (configuration, verifier) = try PeerSetup.overlayConfiguration(directory)
        guard !verifier.rootCertificates.isEmpty else {
            throw .failed("\(directory.path) holds a self-signed identity: there is no enrollment server to renew it with")
        }
        _ = try PeerSetup.loadRevocationList(directory, into: verifier)
        guard let url = parsed.value("--server") ?? configuration.enrollmentServers.first else {
            throw .usage("the configuration names no enrollment-server: give --server URL")
        }
        let location = try serverLocation(url)
        let address = try connectAddress(parsed, location: location)
        let files = CADirectory(path: directory.path)
        let key = try files.key(IdentityDirectory.key)
        let certificate = try files.certificate(IdentityDirectory.certificate)
        let certificateFile = directory.file(IdentityDirectory.certificate)
        let current: VerifiedIdentity
        do throws(CryptoError) {
            current = try verifier.verify(chain: [certificate], now: Clock.wallNow().civilTime)
        } catch {
            throw .failed("\(certificateFile): \(error.description): it cannot be renewed; enroll again with the password")
        }
        let random = try CommandSupport.random()
        let request: [UInt8]
        let publicKey: [UInt8]
        let tls: SecureSessionConfiguration
        do throws(CryptoError) {
            publicKey = try key.publicKeyDER()
            let csr = try CertificateSigningRequest.create(subject: "CN=" + current.userName, key: key, using: random)
            request = EnrollmentClient.renewRequest(
                host: location.authority, path: enrollPath(location), username: current.userName, certificate: certificate.der,
                csr: csr, boundary: try EnrollmentClient.boundary(using: random))
        } catch {
            throw .failed("renewal request: \(error.description)")
        }
        do throws(LinkError) {
            tls = try SecureSessionConfiguration(
                role: .client, transport: .stream, certificateChain: [], privateKey: nil,
                trust: .anchors(verifier.rootCertificates, revocationListDER: nil), random: random)
        } catch {
            throw .failed("TLS configuration: \(error.description)")
        }
        let step = "renewal"
        let response = try exchange(
            request, to: address, timeLimitMilliseconds: time, serverName: configuration.instanceName, tls: tls, step: step)
        switch EnrollmentClient.interpretRenewal(
            response, current: current, publicKey: publicKey, verifier: verifier, now: Clock.wallNow().civilTime)
        {
        case .enrolled(let renewed, let identity):
            try CommandSupport.writeFile(certificateFile, PEM.encode(renewed.der, label: "CERTIFICATE"), mode: 0o644)
            Console.out("renewed \(identity.userName) in overlay \(configuration.instanceName), the same Node-IDs:")
            for nodeId in identity.nodeIds { Console.out("  Node-ID \(Hex.encode(nodeId))") }
            Console.out("  valid until \(identity.notAfter.description) (was \(current.notAfter.description)); new certificate in \(certificateFile)")
        case .refused(let status, let token):
            throw .failed("\(step): refused, \(status) \(token)\(explanation(token))")
        case .invalid(let reason):
            throw .failed("\(step): the answer is not usable: \(reason)")
        }
    }
}
