import Crypto
import HTTP
import Wire

/// The enrollment server's HTTP behaviour, without sockets or TLS: the networked part feeds
/// each connection's bytes to an HTTPRequestParser, and hands the result here with the peer's
/// address, `now` and the random generator; it sends back `serialized()` of the answer, closes,
/// and, when an answer says so, appends ledger lines (see `Answer`).
///
///     POST /enroll                    RFC 6940 §11.3 (multipart/form-data)
///     GET  /.well-known/reload-config RFC 6940 §11.1, §11.2 (application/p2p-overlay+xml)
///     GET  /crl                       the current CRL (application/pkix-crl)
public final class EnrollmentService {
    public let authority: EnrollmentAuthority
    /// The signed configuration document served as it is.
    public var configurationDocument: [UInt8]
    /// The current DER CRL.
    public var revocationList: [UInt8]

    public static let enrollPath = "/enroll"
    public static let configurationPath = "/.well-known/reload-config"
    public static let revocationListPath = "/crl"

    public init(authority: EnrollmentAuthority, configurationDocument: [UInt8], revocationList: [UInt8]) {
        self.authority = authority
        self.configurationDocument = configurationDocument
        self.revocationList = revocationList
    }

    /// The response, and the ledger record to persist before sending it (issued certificates).
    public struct Answer: Equatable {
        public let response: HTTPResponse
        public let ledgerLine: String?
    }

    /// Answers a parse result: a failure gets its status, a request is routed.
    public func answer(
        _ result: HTTPParseResult, source: [UInt8], now: WallTime, using random: RandomGenerator
    ) -> Answer? {
        switch result {
        case .needMore:
            return nil
        case .failure(let status, _):
            return Answer(response: .error(status), ledgerLine: nil)
        case .request(let request, _):
            return answer(request, source: source, now: now, using: random)
        }
    }

    public func answer(_ request: HTTPRequest, source: [UInt8], now: WallTime, using random: RandomGenerator) -> Answer {
        switch request.target {
        case EnrollmentService.enrollPath:
            guard request.method == "POST" else { return Answer(response: .error(.methodNotAllowed, allow: "POST"), ledgerLine: nil) }
            return enroll(request, source: source, now: now, using: random)
        case EnrollmentService.configurationPath:
            guard request.method == "GET" else { return Answer(response: .error(.methodNotAllowed, allow: "GET"), ledgerLine: nil) }
            return Answer(response: .configuration(configurationDocument), ledgerLine: nil)
        case EnrollmentService.revocationListPath:
            guard request.method == "GET" else { return Answer(response: .error(.methodNotAllowed, allow: "GET"), ledgerLine: nil) }
            return Answer(response: .revocationList(revocationList), ledgerLine: nil)
        default:
            return Answer(response: .error(.notFound), ledgerLine: nil)
        }
    }

    /// POST /enroll: "The Accept header MUST contain the type application/pkix-cert" (§11.3);
    /// we also take */* and application/* (curl's default is */*).
    func enroll(_ request: HTTPRequest, source: [UInt8], now: WallTime, using random: RandomGenerator) -> Answer {
        if let accept = request.value(of: "Accept") {
            let lowered = Array(HTTPRequest.lowercased(accept).utf8)
            let acceptable = ["application/pkix-cert", "*/*", "application/*"].contains { wanted in
                MultipartFormData.find(Array(wanted.utf8), in: lowered, from: 0) != nil
            }
            if !acceptable {
                return Answer(response: .error(.notAcceptable), ledgerLine: nil)
            }
        }
        guard let contentType = request.value(of: "Content-Type"),
            HTTPRequest.lowercased(contentType).hasPrefix("multipart/form-data")
        else { return Answer(response: .error(.unsupportedMediaType), ledgerLine: nil) }
        let form: EnrollmentRequest
        do throws(EnrollmentError) {
            form = try EnrollmentRequest(http: request)
        } catch {
            return Answer(response: .error(.badRequest), ledgerLine: nil)
        }
        switch authority.enroll(form, source: source, now: now, using: random) {
        case .issued(let certificate, let record):
            return Answer(response: .certificate(certificate), ledgerLine: record.line)
        case .refused(let refusal):
            return Answer(response: .refusal(refusal), ledgerLine: nil)
        }
    }
}
