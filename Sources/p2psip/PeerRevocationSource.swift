import Config
import Crypto
import Enrollment
import HTTPS
import Link
import Platform

/// Where a peer fetches the revocation list, and how it trusts the answer. RFC 6940 §11.1
/// names one URL of the enrollment server (enrollment-server, the POST /enroll of §11.3) and
/// §13.3 leaves revocation to the deployment; our enrollment server (`p2psip ca serve`) serves
/// its CRL beside it, at GET /crl of the same host and port. The TLS session trusts the
/// overlay's roots only, and the server's certificate must carry the overlay name, as for
/// enrollment (§11.3: "The server certificate MUST match the overlay name"); the CRL itself
/// must be signed by a root as well (IdentityVerifier.setRevocationList).
struct PeerRevocationSource {
    let url: String
    let request: [UInt8]
    let address: SocketAddress
    let serverName: String
    let tls: SecureSessionConfiguration

    /// Time limit of one fetch: connect, TLS handshake, request and the whole answer.
    static let fetchTimeLimitMilliseconds: UInt64 = 10_000
    /// The longest answer read: the largest CRL RevocationList parses.
    static let maximumResponseBytes = CryptoLimits.maximumRevocationListBytes

    /// The source, or nil and why there is none (for the log): a self-signed overlay has
    /// nothing to revoke (§11.3.1), a configuration may name no enrollment server, and a
    /// server named by a DNS name needs `--enrollment-connect ADDR:PORT` (p2psip does not
    /// resolve names: a resolver call cannot be bounded in time on the loop).
    static func load(
        overlay: OverlayConfiguration, verifier: IdentityVerifier, connect: String?, random: RandomGenerator
    ) throws(CommandFailure) -> (source: PeerRevocationSource?, reason: String) {
        guard !verifier.rootCertificates.isEmpty else { return (nil, "a self-signed overlay has no revocation list") }
        guard let enrollment = overlay.enrollmentServers.first else {
            return (nil, "the overlay configuration names no enrollment server")
        }
        let location: HTTPSLocation
        do throws(HTTPSError) {
            location = try HTTPSLocation.parse(enrollment)
        } catch {
            return (nil, "enrollment-server: \(error.description)")
        }
        let address: SocketAddress
        if let connect {
            address = try CAInitCommand.address(connect, option: "--enrollment-connect")
        } else if location.hostIsAddress, let parsed = SocketAddress.parse(location.socketAddress) {
            address = parsed
        } else {
            return (nil, "the enrollment server \(location.host) is a name and p2psip does not resolve names: "
                + "give --enrollment-connect ADDR:PORT")
        }
        let tls: SecureSessionConfiguration
        do throws(LinkError) {
            tls = try SecureSessionConfiguration(
                role: .client, transport: .stream, certificateChain: [], privateKey: nil,
                trust: .anchors(verifier.rootCertificates, revocationListDER: nil), random: random)
        } catch {
            throw .failed("revocation list fetch: TLS configuration: \(error.description)")
        }
        let url = "https://\(location.authority)\(EnrollmentService.revocationListPath)"
        let source = PeerRevocationSource(
            url: url, request: EnrollmentClient.getRequest(host: location.authority, path: EnrollmentService.revocationListPath),
            address: address, serverName: overlay.instanceName, tls: tls)
        return (source, "")
    }
}
