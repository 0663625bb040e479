import Crypto
import Enrollment
import Platform
import Wire

/// `p2psip ca revoke --dir DIR (--user NAME | --node ID | --serial N)` and `p2psip ca crl`:
/// revocation (RFC 6940 §13.3). The ledger records the revocation and the
/// CRL number, then a new CRL signed by the root replaces crl.der; a running `ca serve` serves
/// it within a second (or at once on SIGHUP). `ca crl` re-signs the CRL without revoking
/// anything, so that its nextUpdate never passes (run it from cron). Enrollment's CARevocation
/// does it; this parses the options and reports.
enum CARevokeCommand {
    static let revokeUsage = "ca revoke --dir DIR (--user NAME | --node HEX | --serial HEX) [--crl-days N]"
    static let crlUsage = "ca crl --dir DIR [--crl-days N]"

    static func run(_ arguments: [String], revoking: Bool) -> Int32 {
        do throws(CommandFailure) {
            try execute(arguments, revoking: revoking)
            return 0
        } catch {
            return error.report(revoking ? "ca revoke" : "ca crl", usage: revoking ? revokeUsage : crlUsage)
        }
    }

    static func execute(_ arguments: [String], revoking: Bool) throws(CommandFailure) {
        let options = try CommandOptions.parse(
            arguments, valued: revoking ? ["--dir", "--user", "--node", "--serial", "--crl-days"] : ["--dir", "--crl-days"])
        let directory = CADirectory(path: try options.required("--dir"))
        let days = try options.integer("--crl-days", in: 1...366, default: CAValidity.revocationListDays)
        if revoking && ["--user", "--node", "--serial"].filter({ options.value($0) != nil }).count != 1 {
            throw .usage("give exactly one of --user, --node and --serial")
        }
        let target = revoking ? try target(options) : nil
        let random = try CommandSupport.random()
        let now = Clock.wallNow()
        let outcome = try CommandFailure.failing { () throws(CAError) in
            try CARevocation.update(directory.files, revoking: target, now: now, days: days, random: random)
        }
        for serial in outcome.revokedSerials { Console.out("revoked serial \(Hex.encode(serial))") }
        Console.out("CRL number \(outcome.crlNumber): \(outcome.revokedCount) revoked certificates, valid \(days) days, "
            + "in \(directory.file(CADirectory.revocationList))")
    }

    /// What the options name (Enrollment's CARevocation checks that it was issued).
    static func target(_ options: CommandOptions) throws(CommandFailure) -> CARevocation.Target {
        if let user = options.value("--user") { return .user(user) }
        if let text = options.value("--node") {
            guard let nodeId = Hex.decode(text), (16...20).contains(nodeId.count) else {
                throw .usage("--node '\(text)' is not a Node-ID in hex (16 to 20 bytes)")
            }
            return .nodeId(nodeId)
        }
        let text = options.value("--serial") ?? ""
        guard let serial = Hex.decode(text), !serial.isEmpty, serial.count <= CryptoLimits.maximumSerialNumberBytes else {
            throw .usage("--serial '\(text)' is not a serial number in hex")
        }
        return .serial(serial)
    }
}
