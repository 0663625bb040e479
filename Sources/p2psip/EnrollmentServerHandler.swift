import Crypto
import Enrollment
import HTTP
import HTTPS
import Platform
import Wire

/// `ca serve`'s handler: Enrollment's EnrollmentServer answers over the CA directory; this
/// gives it the clock and the peer's address, writes the log, and notices (by change stamp) a
/// rewritten accounts file or revocation list to reload.
final class EnrollmentServerHandler: HTTPSHandler {
    let server: EnrollmentServer<CADirectory>
    var accountsStamp: FileChangeStamp?
    var revocationListStamp: FileChangeStamp?

    var directory: CADirectory { server.files.store }
    var overlayName: String { server.overlayName }

    init(server: EnrollmentServer<CADirectory>) {
        self.server = server
        accountsStamp = FileSystem.changeStamp(server.files.store.file(CADirectory.accounts))
        revocationListStamp = FileSystem.changeStamp(server.files.store.file(CADirectory.revocationList))
    }

    static func load(_ directory: CADirectory, random: RandomGenerator) throws(CommandFailure) -> EnrollmentServerHandler {
        let server = try CommandFailure.failing { () throws(CAError) in try EnrollmentServer.load(directory, random: random) }
        return EnrollmentServerHandler(server: server)
    }

    func answer(_ result: HTTPParseResult, from peer: SocketAddress) -> (response: HTTPResponse, note: String) {
        let answer = server.answer(result, source: peer.addressBytes, now: Clock.wallNow())
        if let line = answer.log { log(line) }
        return (answer.response, answer.note)
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
        log(server.reloadAccounts())
    }

    func reloadRevocationList() {
        revocationListStamp = FileSystem.changeStamp(directory.file(CADirectory.revocationList))
        log(server.reloadRevocationList())
    }

    func log(_ line: String) {
        Console.out(Clock.wallNow().civilTime.description + " " + line)
    }
}
