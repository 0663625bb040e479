import Config
import Crypto
import Enrollment
import HTTP
import HTTPS
import Platform
import Wire

/// What `ca serve` does with each request: EnrollmentService decides, the ledger line of an
/// issued certificate reaches the disk before the certificate leaves, and the accounts file and
/// revocation list are reloaded when they change.
final class EnrollmentServerHandler: HTTPSHandler {
    let directory: CADirectory
    let service: EnrollmentService
    let random: RandomGenerator
    let overlayName: String
    var accountsStamp: FileChangeStamp?
    var revocationListStamp: FileChangeStamp?

    init(directory: CADirectory, service: EnrollmentService, random: RandomGenerator, overlayName: String) {
        self.directory = directory
        self.service = service
        self.random = random
        self.overlayName = overlayName
        accountsStamp = FileSystem.changeStamp(directory.file(CADirectory.accounts))
        revocationListStamp = FileSystem.changeStamp(directory.file(CADirectory.revocationList))
    }

    static func load(_ directory: CADirectory, random: RandomGenerator) throws(CommandFailure) -> EnrollmentServerHandler {
        let issuer = try directory.issuer()
        let (document, configuration) = try directory.configuration()
        let crl = try directory.read(CADirectory.revocationList, maximumBytes: CryptoLimits.maximumRevocationListBytes)
        let accounts = try directory.accounts()
        let ledger = try directory.ledger()
        do throws(EnrollmentError) {
            let authority = try EnrollmentAuthority(
                issuer: issuer, overlayName: configuration.instanceName, nodeIdLength: configuration.nodeIdLength,
                accounts: accounts, ledger: ledger, using: random)
            let service = EnrollmentService(authority: authority, configurationDocument: document, revocationList: crl)
            return EnrollmentServerHandler(
                directory: directory, service: service, random: random, overlayName: configuration.instanceName)
        } catch {
            throw .failed("\(directory.path): \(error.description)")
        }
    }

    func answer(_ result: HTTPParseResult, from peer: SocketAddress) -> (response: HTTPResponse, note: String) {
        let now = CommandSupport.wallSeconds()
        guard let answer = service.answer(result, source: peer.addressBytes, now: now, using: random) else {
            return (.error(.internalServerError), "incomplete request")
        }
        var note = ""
        if case .request(let request, _) = result, request.target == EnrollmentService.enrollPath {
            note = "user=" + EnrollmentServerHandler.userName(of: request)
        }
        guard let line = answer.ledgerLine else {
            if answer.response.status.code != 200 { note += " refused: " + String(decoding: answer.response.body.prefix(64), as: UTF8.self) }
            return (answer.response, note)
        }
        // The record first: a certificate the ledger does not know must never be handed out.
        do throws(PlatformError) {
            try FileSystem.append(directory.file(CADirectory.ledger), Array((line + "\n").utf8), mode: 0o600)
        } catch {
            log("ledger: \(error.description); certificate withheld")
            return (.refusal(.internalFailure), note + " ledger write failed")
        }
        return (answer.response, line)
    }

    /// The "username" field of an enrollment form, for the log ("-" when there is none).
    static func userName(of request: HTTPRequest) -> String {
        guard let form = try? EnrollmentRequest(http: request), let name = form.username,
            name.count <= EnrollmentLimits.maximumUserNameBytes, name.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return "-" }
        return String(decoding: name, as: UTF8.self)
    }

    func reload() {
        reloadAccounts()
        reloadRevocationList()
    }

    func housekeeping() {
        if FileSystem.changeStamp(directory.file(CADirectory.accounts)) != accountsStamp { reloadAccounts() }
        if FileSystem.changeStamp(directory.file(CADirectory.revocationList)) != revocationListStamp { reloadRevocationList() }
    }

    func reloadAccounts() {
        accountsStamp = FileSystem.changeStamp(directory.file(CADirectory.accounts))
        do throws(CommandFailure) {
            let accounts = try directory.accounts()
            service.authority.replaceAccounts(accounts)
            log("reloaded \(directory.file(CADirectory.accounts)): \(accounts.accounts.count) users")
        } catch {
            log("keeping the previous accounts: \(error.message)")
        }
    }

    /// A new CRL is served only if the root signed it and it is not older than the current one.
    func reloadRevocationList() {
        revocationListStamp = FileSystem.changeStamp(directory.file(CADirectory.revocationList))
        do throws(CommandFailure) {
            let der = try directory.read(CADirectory.revocationList, maximumBytes: CryptoLimits.maximumRevocationListBytes)
            do throws(CryptoError) {
                let list = try RevocationList(der: der)
                try list.verifySignature(issuer: service.authority.issuer.certificate)
                let current = try RevocationList(der: service.revocationList)
                guard !(list.thisUpdate < current.thisUpdate) else { throw CryptoError.malformed("older than the one served") }
                service.revocationList = der
                log("reloaded \(directory.file(CADirectory.revocationList)): \(list.revokedCertificates.count) revoked")
            } catch {
                throw .failed("\(directory.file(CADirectory.revocationList)): \(error.description)")
            }
        } catch {
            log("keeping the previous revocation list: \(error.message)")
        }
    }

    func log(_ line: String) {
        Console.out(CivilTime(unixSeconds: CommandSupport.wallSeconds()).description + " " + line)
    }
}
