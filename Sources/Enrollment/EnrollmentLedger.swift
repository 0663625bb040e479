import Crypto
import Wire

/// The enrollment server's memory, kept as an append-only text file so that a restart (or a
/// crash between two requests) loses nothing the admission policy depends on: which keys were
/// enrolled (a CSR of a known key is refused), which Node-IDs were issued (never twice; each
/// user's count over all time), which serials were revoked, and the CRL number.
///
///     issued serial=HEX user=NAME key=HEX not-after=UNIXSECONDS node-ids=HEX[,HEX...]
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

    /// Serial numbers of the certificates of `user`, and of the one holding `nodeId`.
    public func serials(user: String) -> [[UInt8]] { issued.filter { $0.user == user }.map { $0.serialNumber } }
    public func serial(nodeId: [UInt8]) -> [UInt8]? { issued.first { $0.nodeIds.contains(nodeId) }?.serialNumber }

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
