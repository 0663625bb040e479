import Crypto
import Wire

/// The enrollment server's memory, kept as an append-only text file so that a restart (or a
/// crash between two requests) loses nothing the admission policy depends on: which keys were
/// enrolled (a CSR of a known key is refused), which Node-IDs were issued (never twice; each
/// user's count over all time), which serials were revoked, and the CRL number.
///
///     issued serial=HEX user=NAME key=HEX not-after=UNIXSECONDS node-ids=HEX[,HEX...]
///     renewed serial=HEX from=HEX not-after=UNIXSECONDS
///     revoked serial=HEX at=UNIXSECONDS
///     crl number=N
///
/// One record per line, fields in that order, LF line ends. The server appends the `line` of
/// each new record; `parse` rebuilds the state and refuses anything else with its line number.
public struct EnrollmentLedger {
    public private(set) var issued: [IssuedCertificate] = []
    public private(set) var revoked: [(serialNumber: [UInt8], atSeconds: Int64)] = []
    public internal(set) var crlNumber: UInt64 = 0
    var keyHashes: Set<[UInt8]> = []
    var nodeIds: Set<[UInt8]> = []
    var serials: Set<[UInt8]> = []
    var revokedSerials: Set<[UInt8]> = []
    /// Serials that have been renewed: each certificate is renewed at most once, so a holder
    /// cannot fill the ledger by renewing in a loop.
    var renewedSerials: Set<[UInt8]> = []
    var nodeIdCounts: [String: Int] = [:]

    public init() {}

    public var recordCount: Int { issued.count + revoked.count + (crlNumber > 0 ? 1 : 0) }

    public func isKeyEnrolled(_ keyHash: [UInt8]) -> Bool { keyHashes.contains(keyHash) }
    public func isNodeIdIssued(_ nodeId: [UInt8]) -> Bool { nodeIds.contains(nodeId) }
    public func isSerialIssued(_ serial: [UInt8]) -> Bool { serials.contains(serial) }
    public func isRevoked(_ serial: [UInt8]) -> Bool { revokedSerials.contains(serial) }

    /// Node-IDs issued to `user` over all time (revoked ones included: revocation does not
    /// give a user new identities).
    public func nodeIdCount(user: String) -> Int { nodeIdCounts[user] ?? 0 }

    public func isRenewed(_ serial: [UInt8]) -> Bool { renewedSerials.contains(serial) }

    /// Serial numbers of the certificates of `user`, and of those holding `nodeId` (a renewed
    /// certificate and its renewal hold the same Node-IDs).
    public func serials(user: String) -> [[UInt8]] { issued.filter { $0.user == user }.map { $0.serialNumber } }
    public func serials(nodeId: [UInt8]) -> [[UInt8]] {
        issued.filter { $0.nodeIds.contains(nodeId) }.map { $0.serialNumber }
    }

    /// The issued record of `serial`.
    public func record(serial: [UInt8]) -> IssuedCertificate? { issued.first { $0.serialNumber == serial } }

    /// Adds an issued certificate; refuses duplicates of key, Node-ID or serial (a bug upstream).
    public mutating func record(_ certificate: IssuedCertificate) throws(EnrollmentError) {
        guard recordCount < EnrollmentLimits.maximumLedgerRecords else {
            throw .invalidArgument("ledger holds \(EnrollmentLimits.maximumLedgerRecords) records")
        }
        guard !keyHashes.contains(certificate.keyHash), !serials.contains(certificate.serialNumber),
            certificate.nodeIds.allSatisfy({ !nodeIds.contains($0) }), !certificate.nodeIds.isEmpty,
            Account.isValidName(Array(certificate.user.utf8))
        else { throw .invalidArgument("issued record repeats a key, serial or Node-ID, or names no valid user") }
        issued.append(certificate)
        keyHashes.insert(certificate.keyHash)
        serials.insert(certificate.serialNumber)
        for nodeId in certificate.nodeIds { nodeIds.insert(nodeId) }
        nodeIdCounts[certificate.user, default: 0] += certificate.nodeIds.count
    }

    /// Adds the renewal of `from` under a new serial: same user, key and Node-IDs, none of
    /// them counted again (renewal spends nothing of the user's cap). Refused when `from` is
    /// unknown, revoked or renewed before, or the serial is not new.
    public mutating func recordRenewal(
        serial: [UInt8], from: [UInt8], notAfterSeconds: Int64
    ) throws(EnrollmentError) -> IssuedCertificate {
        guard recordCount < EnrollmentLimits.maximumLedgerRecords else {
            throw .invalidArgument("ledger holds \(EnrollmentLimits.maximumLedgerRecords) records")
        }
        guard let old = record(serial: from), !revokedSerials.contains(from), !renewedSerials.contains(from),
            !serials.contains(serial)
        else { throw .invalidArgument("renewal of an unknown, revoked or renewed serial, or with a used serial") }
        let renewal = IssuedCertificate(
            serialNumber: serial, user: old.user, keyHash: old.keyHash, notAfterSeconds: notAfterSeconds, nodeIds: old.nodeIds,
            renewedFrom: from)
        issued.append(renewal)
        serials.insert(serial)
        renewedSerials.insert(from)
        return renewal
    }

    /// Marks an issued serial revoked at `atSeconds` (seconds since 1970); false (nothing
    /// recorded) if unknown or already revoked. Its ledger line is `revocationLine`.
    public mutating func revoke(serialNumber: [UInt8], atSeconds: Int64) -> Bool {
        guard serials.contains(serialNumber), !revokedSerials.contains(serialNumber),
            recordCount < EnrollmentLimits.maximumLedgerRecords
        else { return false }
        revoked.append((serialNumber, atSeconds))
        revokedSerials.insert(serialNumber)
        return true
    }

    public static func revocationLine(serialNumber: [UInt8], atSeconds: Int64) -> String {
        return "revoked serial=\(Hex.encode(serialNumber)) at=\(atSeconds)"
    }

    /// The number for the next CRL (RFC 5280 §5.2.3: it grows with every CRL); its ledger
    /// line is `crlNumberLine`.
    public mutating func nextCRLNumber() -> UInt64 {
        crlNumber += 1
        return crlNumber
    }

    public var crlNumberLine: String { "crl number=\(crlNumber)" }

    /// The revoked certificates still worth listing at `now` (expired ones drop out, RFC 5280
    /// §3.3: a CRL need not list certificates past their validity), to the second.
    public func revokedCertificates(now: WallTime) -> [RevokedCertificate] {
        var list: [RevokedCertificate] = []
        for entry in revoked {
            guard let certificate = issued.first(where: { $0.serialNumber == entry.serialNumber }), certificate.notAfterSeconds >= now.secondsSince1970
            else { continue }
            list.append(RevokedCertificate(serialNumber: entry.serialNumber, revocationDate: CivilTime(unixSeconds: entry.atSeconds)))
        }
        return list
    }

    /// The whole ledger as text (the file `parse` reads).
    public func serialized() -> [UInt8] {
        var text = ""
        for certificate in issued { text += certificate.line + "\n" }
        for entry in revoked { text += EnrollmentLedger.revocationLine(serialNumber: entry.serialNumber, atSeconds: entry.atSeconds) + "\n" }
        if crlNumber > 0 { text += "crl number=\(crlNumber)\n" }
        return Array(text.utf8)
    }
}
