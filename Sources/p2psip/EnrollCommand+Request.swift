import Config
import Crypto
import Enrollment
import HTTP
import HTTPS
import Link
import Platform
import Wire

extension EnrollCommand {
    /// Step 2 (§11.3): POST /enroll with username, password, nodeids and the CSR, to a server
    /// whose certificate must match the overlay name ("The server certificate MUST match the
    /// overlay name"), and the checks of the answer.
    static func requestCertificate(
        _ options: Options, configuration: OverlayConfiguration, key: PrivateKey, csr: [UInt8],
        tls: SecureSessionConfiguration, random: RandomGenerator
    ) throws(CommandFailure) -> (Certificate, VerifiedIdentity) {
        let step = "enrollment"
        let request: [UInt8]
        let publicKey: [UInt8]
        do throws(CryptoError) {
            publicKey = try key.publicKeyDER()
            request = EnrollmentClient.enrollRequest(
                host: options.location.authority, path: enrollPath(options.location), username: options.user,
                password: options.password, nodeIds: options.nodeIds, csr: csr, boundary: try EnrollmentClient.boundary(using: random))
        } catch {
            throw .failed("\(step): \(error.description)")
        }
        let response = try exchange(
            request, to: options.address, timeLimitMilliseconds: options.timeLimitMilliseconds, serverName: configuration.instanceName,
            tls: tls, step: step)
        let verifier: IdentityVerifier
        do throws(EnrollmentError) {
            verifier = try OverlayTrust.verifier(for: configuration)
        } catch {
            throw .failed("\(step): \(error.description)")
        }
        let now = Clock.wallNow().civilTime
        switch EnrollmentClient.interpret(response, publicKey: publicKey, verifier: verifier, now: now) {
        case .enrolled(let certificate, let identity):
            let expected = options.user.utf8.contains(UInt8(ascii: "@")) ? options.user : options.user + "@" + configuration.instanceName
            guard identity.userName == expected else {
                throw .failed("\(step): the certificate names user \(identity.userName), not \(expected)")
            }
            return (certificate, identity)
        case .refused(let status, let token):
            throw .failed("\(step): refused, \(status) \(token)\(explanation(token))")
        case .invalid(let reason):
            throw .failed("\(step): the answer is not usable: \(reason)")
        }
    }

    /// "/enroll" for a URL without a path, else the URL's path.
    static func enrollPath(_ location: HTTPSLocation) -> String {
        return location.path == "/" ? EnrollmentService.enrollPath : location.path
    }

    /// RFC 6940 §11.3's tokens, explained ("If the client receives an unknown token in the body,
    /// it SHOULD treat it as a failure for an unknown reason").
    static func explanation(_ token: String) -> String {
        switch token {
        case "failed_authentication": return " (the account name and password were not accepted)"
        case "username_not_available": return " (the user name asked for is not acceptable)"
        case "Node-IDs_not_available": return " (no more Node-IDs for this account, or too many asked for at once)"
        case "bad_CSR": return " (the CSR was malformed, or its key was enrolled before)"
        case "rate_limited": return " (too many attempts; try again later)"
        case "not_yet_renewable": return " (renewal opens half way through the certificate's validity, once per certificate)"
        default: return ""
        }
    }

    /// One HTTPS exchange within the time limit; failures name the step.
    static func exchange(
        _ request: [UInt8], to address: SocketAddress, timeLimitMilliseconds: UInt64, serverName: String?,
        tls: SecureSessionConfiguration, step: String
    ) throws(CommandFailure) -> HTTPClientResponse {
        do throws(HTTPSError) {
            return try HTTPSClient.exchange(
                request, to: address, serverName: serverName, configuration: tls, timeLimitMilliseconds: timeLimitMilliseconds).response
        } catch {
            throw .failed("\(step): \(error.description)")
        }
    }

    static func printable(_ bytes: [UInt8]) -> String {
        return String(decoding: bytes.prefix(80).filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
    }
}
