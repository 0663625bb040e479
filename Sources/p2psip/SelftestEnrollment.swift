import Config
import Crypto
import Enrollment
import HTTP
import Link
import Wire

/// The enrollment check of `p2psip selftest`: a whole RFC 6940 §11.3 enrollment in memory
/// (no sockets), so that the board itself shows it can be an enrollment server and client: a
/// root, a server certificate and a configuration signer; the configuration document signed
/// and verified (and refused after one flipped byte); a TLS 1.2 session whose server does not
/// ask for a client certificate; POST /enroll through the HTTP parser and the authority; the
/// answer checked the way `p2psip enroll` checks it.
final class SelftestEnrollment {
    struct Failure: Error {
        let reason: String
    }

    static let overlay = "selftest.example"
    let random: RandomGenerator
    let now: WallTime
    var toServer: [UInt8] = []
    var toClient: [UInt8] = []
    var serverRequest = HTTPRequestParser()
    var clientResponse = HTTPResponseParser()
    var response: HTTPClientResponse? = nil
    /// The key the enrolling client made (the certificate must be for it).
    var nodeKey: PrivateKey? = nil

    /// Rounds of delivering bytes both ways before the exchange is declared stuck.
    static let maximumRounds = 64

    init(random: RandomGenerator, now: WallTime) {
        self.random = random
        self.now = now
    }

    static func crypto<T>(_ what: String, _ body: () throws(CryptoError) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw Failure(reason: "\(what): \(error.description)") }
    }

    static func enrollment<T>(_ what: String, _ body: () throws(EnrollmentError) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw Failure(reason: "\(what): \(error.description)") }
    }

    static func link<T>(_ what: String, _ body: () throws(LinkError) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw Failure(reason: "\(what): \(error.description)") }
    }

    var notBefore: CertificateTime { now.adding(seconds: -3600).civilTime }
    var notAfter: CertificateTime { now.adding(seconds: 86_400).civilTime }

    /// Runs the check; nil when everything held, else what failed.
    func run() -> String? {
        do throws(Failure) {
            let root = try SelftestEnrollment.crypto("root") { () throws(CryptoError) -> CertificateIssuer in
                try CertificateIssuer.createRoot(
                    key: PrivateKey.generateP256(using: random), commonName: "selftest root",
                    serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random)
            }
            let (document, configuration) = try signedConfiguration(root)
            let service = try makeService(root, document: document)
            let (client, server) = try sessions(root)
            try exchange(client: client, server: server, service: service)
            try checkAnswer(configuration)
            return nil
        } catch {
            return error.reason
        }
    }
}
