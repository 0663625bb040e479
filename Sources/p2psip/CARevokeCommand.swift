import Crypto
import Enrollment
import Platform
import Wire

/// `p2psip ca revoke --dir DIR (--user NAME | --node ID | --serial N)` and `p2psip ca crl`:
/// revocation (RFC 6940 §13.3; REQUIREMENTS.md #16). The ledger records the revocation and the
/// CRL number, then a new CRL signed by the root replaces crl.der; a running `ca serve` serves
/// it within a second (or at once on SIGHUP). `ca crl` re-signs the CRL without revoking
/// anything, so that its nextUpdate never passes (run it from cron).
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
        let days = try options.integer("--crl-days", in: 1...366, default: CAInitCommand.revocationListDays)
        if revoking && ["--user", "--node", "--serial"].filter({ options.value($0) != nil }).count != 1 {
            throw .usage("give exactly one of --user, --node and --serial")
        }
        var ledger = try directory.ledger()
        let issuer = try directory.issuer()
        let now = CommandSupport.wallSeconds()
        var lines: [String] = []
        if revoking {
            for serial in try serials(options, ledger: ledger) where ledger.revoke(serialNumber: serial, at: now) {
                lines.append(EnrollmentLedger.revocationLine(serialNumber: serial, at: now))
                Console.out("revoked serial \(Hex.encode(serial))")
            }
            guard !lines.isEmpty else { throw .failed("nothing to revoke: already revoked") }
        }
        let number = ledger.nextCRLNumber()
        let random = try CommandSupport.random()
        let der: [UInt8]
        do throws(CryptoError) {
            der = try RevocationList.create(
                issuer: issuer, revoked: ledger.revokedCertificates(now: now), number: number,
                thisUpdate: CertificateTime(unixSeconds: now), nextUpdate: CommandSupport.certificateTime(now + days * 86_400),
                using: random)
        } catch {
            throw .failed("revocation list: \(error.description)")
        }
        lines.append(ledger.crlNumberLine)
        do throws(PlatformError) {
            try FileSystem.append(directory.file(CADirectory.ledger), Array((lines.joined(separator: "\n") + "\n").utf8), mode: 0o600)
        } catch {
            throw .failed("ledger: \(error.description)")
        }
        try directory.write(CADirectory.revocationList, der, mode: 0o644)
        Console.out("CRL number \(number): \(ledger.revokedCertificates(now: now).count) revoked certificates, valid \(days) days, "
            + "in \(directory.file(CADirectory.revocationList))")
    }

    /// The serials the options name, each issued; refuses unknown ones.
    static func serials(_ options: CommandOptions, ledger: EnrollmentLedger) throws(CommandFailure) -> [[UInt8]] {
        if let user = options.value("--user") {
            let serials = ledger.serials(user: user)
            guard !serials.isEmpty else { throw .failed("user \(user) holds no certificate") }
            return serials
        }
        if let text = options.value("--node") {
            guard let nodeId = Hex.decode(text), (16...20).contains(nodeId.count) else {
                throw .usage("--node '\(text)' is not a Node-ID in hex (16 to 20 bytes)")
            }
            guard let serial = ledger.serial(nodeId: nodeId) else { throw .failed("no certificate holds Node-ID \(text)") }
            return [serial]
        }
        let text = options.value("--serial") ?? ""
        guard let serial = Hex.decode(text), !serial.isEmpty, serial.count <= CryptoLimits.maximumSerialNumberBytes else {
            throw .usage("--serial '\(text)' is not a serial number in hex")
        }
        guard ledger.isSerialIssued(serial) else { throw .failed("serial \(text) was not issued by this server") }
        return [serial]
    }
}
