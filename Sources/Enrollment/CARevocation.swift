import Crypto
import Wire

/// Revocation by the certificate authority (RFC 6940 §13.3 leaves it to the deployment; RFC
/// 5280 §5 CRLs): the ledger records the revocation and the CRL number, then a new CRL signed
/// by the root replaces crl.der. Without a target the CRL is only re-signed, so that its
/// nextUpdate never passes.
public enum CARevocation {
    /// What an operator revokes: every certificate of a user, the one holding a Node-ID, or
    /// one serial number.
    public enum Target: Equatable {
        case user(String)
        case nodeId([UInt8])
        case serial([UInt8])
    }

    /// What a revocation did, for the operator.
    public struct Outcome: Equatable {
        /// Serials newly revoked, in order.
        public let revokedSerials: [[UInt8]]
        public let crlNumber: UInt64
        /// Certificates on the new CRL.
        public let revokedCount: Int
    }

    /// The serials `target` names, each issued by this CA; refuses unknown ones.
    public static func serials(_ target: Target, ledger: EnrollmentLedger) throws(CAError) -> [[UInt8]] {
        switch target {
        case .user(let user):
            let serials = ledger.serials(user: user)
            guard !serials.isEmpty else { throw CAError("user \(user) holds no certificate") }
            return serials
        case .nodeId(let nodeId):
            let serials = ledger.serials(nodeId: nodeId)
            guard !serials.isEmpty else { throw CAError("no certificate holds Node-ID \(Hex.encode(nodeId))") }
            return serials
        case .serial(let serial):
            guard ledger.isSerialIssued(serial) else {
                throw CAError("serial \(Hex.encode(serial)) was not issued by this server")
            }
            return [serial]
        }
    }

    /// Revokes `target` (if any) at `now`, signs a CRL valid `days` days, appends the ledger
    /// lines, then replaces the CRL: the ledger is written first so that a CRL never lists
    /// what the ledger does not know.
    public static func update<Store: CAFileStore>(
        _ files: CAFiles<Store>, revoking target: Target?, now: WallTime, days: Int64, random: RandomGenerator
    ) throws(CAError) -> Outcome {
        var ledger = try files.ledger()
        let issuer = try files.issuer()
        var revoked: [[UInt8]] = []
        var lines: [String] = []
        let atSeconds = now.secondsSince1970
        if let target {
            for serial in try serials(target, ledger: ledger) where ledger.revoke(serialNumber: serial, atSeconds: atSeconds) {
                lines.append(EnrollmentLedger.revocationLine(serialNumber: serial, atSeconds: atSeconds))
                revoked.append(serial)
            }
            guard !lines.isEmpty else { throw CAError("nothing to revoke: already revoked") }
        }
        let number = ledger.nextCRLNumber()
        let der: [UInt8]
        do throws(CryptoError) {
            der = try RevocationList.create(
                issuer: issuer, revoked: ledger.revokedCertificates(now: now), number: number,
                thisUpdate: now.civilTime, nextUpdate: CAValidity.certificateTime(now.adding(seconds: days * 86_400)),
                using: random)
        } catch {
            throw CAError("revocation list: \(error.description)")
        }
        lines.append(ledger.crlNumberLine)
        do throws(CAError) {
            try files.store.append(CAFileNames.ledger, Array((lines.joined(separator: "\n") + "\n").utf8), mode: CAFileNames.privateMode)
        } catch {
            throw CAError("ledger: \(error.message)")
        }
        try files.store.write(CAFileNames.revocationList, der, mode: CAFileNames.publicMode)
        return Outcome(revokedSerials: revoked, crlNumber: number, revokedCount: ledger.revokedCertificates(now: now).count)
    }
}
