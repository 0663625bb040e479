import Config
import Crypto
import HTTP
import Wire

/// What `ca serve` does with each request (RFC 6940 §11.3), over the CA's files: the
/// EnrollmentService decides, the ledger line of an issued certificate reaches the store before
/// the certificate leaves, and the accounts file and revocation list can be reloaded. The
/// HTTPS server, the clock, the change detection and the log are the caller's.
public final class EnrollmentServer<Store: CAFileStore> {
    public let files: CAFiles<Store>
    public let service: EnrollmentService
    public let random: RandomGenerator
    public let overlayName: String

    public init(files: CAFiles<Store>, service: EnrollmentService, random: RandomGenerator, overlayName: String) {
        self.files = files
        self.service = service
        self.random = random
        self.overlayName = overlayName
    }

    /// The server of the CA in `store`: root, configuration, revocation list, accounts, ledger.
    public static func load(_ store: Store, random: RandomGenerator) throws(CAError) -> EnrollmentServer {
        let files = CAFiles(store: store)
        let issuer = try files.issuer()
        let (document, configuration) = try files.configuration()
        let crl = try files.revocationList()
        let accounts = try files.accounts()
        let ledger = try files.ledger()
        do throws(EnrollmentError) {
            let authority = try EnrollmentAuthority(
                issuer: issuer, overlayName: configuration.instanceName, nodeIdLength: configuration.nodeIdLength,
                accounts: accounts, ledger: ledger, using: random)
            let service = EnrollmentService(authority: authority, configurationDocument: document, revocationList: crl)
            return EnrollmentServer(files: files, service: service, random: random, overlayName: configuration.instanceName)
        } catch {
            throw CAError("\(store.location): \(error.description)")
        }
    }

    /// The answer to one request from `source` (address bytes), a note for its log line (the
    /// user, a refusal, the ledger line), and a line for the log when something went wrong.
    public func answer(
        _ result: HTTPParseResult, source: [UInt8], now: WallTime
    ) -> (response: HTTPResponse, note: String, log: String?) {
        guard let answer = service.answer(result, source: source, now: now, using: random) else {
            return (.error(.internalServerError), "incomplete request", nil)
        }
        var note = ""
        if case .request(let request, _) = result, request.target == EnrollmentService.enrollPath {
            note = "user=" + EnrollmentServer.userName(of: request)
        }
        guard let line = answer.ledgerLine else {
            if answer.response.status.code != 200 { note += " refused: " + String(decoding: answer.response.body.prefix(64), as: UTF8.self) }
            return (answer.response, note, nil)
        }
        // The record first: a certificate the ledger does not know must never be handed out.
        do throws(CAError) {
            try files.store.append(CAFileNames.ledger, Array((line + "\n").utf8), mode: CAFileNames.privateMode)
        } catch {
            return (.refusal(.internalFailure), note + " ledger write failed", "ledger: \(error.message); certificate withheld")
        }
        return (answer.response, line, nil)
    }

    /// The "username" field of an enrollment form, for the log ("-" when there is none).
    public static func userName(of request: HTTPRequest) -> String {
        guard let form = try? EnrollmentRequest(http: request), let name = form.username,
            name.count <= EnrollmentLimits.maximumUserNameBytes, name.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return "-" }
        return String(decoding: name, as: UTF8.self)
    }

    /// Reads the accounts file again; a file that does not parse leaves the served accounts as
    /// they were. The line for the log either way.
    public func reloadAccounts() -> String {
        do throws(CAError) {
            let accounts = try files.accounts()
            service.authority.replaceAccounts(accounts)
            return "reloaded \(files.store.path(CAFileNames.accounts)): \(accounts.accounts.count) users"
        } catch {
            return "keeping the previous accounts: \(error.message)"
        }
    }

    /// A new CRL is served only if the root signed it and it is not older than the current one
    /// (RFC 5280 §5.1.2.4 thisUpdate). The line for the log either way.
    public func reloadRevocationList() -> String {
        do throws(CAError) {
            let der = try files.revocationList()
            do throws(CryptoError) {
                let list = try RevocationList(der: der)
                try list.verifySignature(issuer: service.authority.issuer.certificate)
                let current = try RevocationList(der: service.revocationList)
                guard !(list.thisUpdate < current.thisUpdate) else { throw CryptoError.malformed("older than the one served") }
                service.revocationList = der
                return "reloaded \(files.store.path(CAFileNames.revocationList)): \(list.revokedCertificates.count) revoked"
            } catch {
                throw CAError("\(files.store.path(CAFileNames.revocationList)): \(error.description)")
            }
        } catch {
            return "keeping the previous revocation list: \(error.message)"
        }
    }
}
