import Wire

extension EnrollmentLedger {
    /// The single entry point for the ledger file's bytes.
    public static func parse(_ bytes: [UInt8]) throws(EnrollmentError) -> EnrollmentLedger {
        var ledger = EnrollmentLedger()
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty { continue }
            guard line.count <= EnrollmentLimits.maximumLedgerLineBytes, line.allSatisfy({ $0 > 0x1F && $0 < 0x7F }) else {
                throw .ledger(line: lineNumber, reason: "line too long or not printable ASCII")
            }
            let words = line.split(separator: 0x20, omittingEmptySubsequences: false).map { Array($0) }
            switch String(decoding: words[0], as: UTF8.self) {
            case "issued":
                try ledger.parseIssued(words, line: lineNumber)
            case "renewed":
                let fields = try fieldValues(words, ["serial", "from", "not-after"], line: lineNumber)
                guard let serial = hex(fields[0]), let from = hex(fields[1]), let notAfter = number(fields[2]),
                    (try? ledger.recordRenewal(serial: serial, from: from, notAfterSeconds: Int64(notAfter))) != nil
                else { throw .ledger(line: lineNumber, reason: "renewal of an unknown, revoked or renewed serial") }
            case "revoked":
                let fields = try fieldValues(words, ["serial", "at"], line: lineNumber)
                guard let serial = hex(fields[0]), let at = number(fields[1]),
                    ledger.revoke(serialNumber: serial, atSeconds: Int64(at))
                else { throw .ledger(line: lineNumber, reason: "revocation of an unknown or revoked serial") }
            case "crl":
                let fields = try fieldValues(words, ["number"], line: lineNumber)
                guard let value = number(fields[0]), value > ledger.crlNumber else {
                    throw .ledger(line: lineNumber, reason: "CRL number must grow")
                }
                ledger.crlNumber = value
            default:
                throw .ledger(line: lineNumber, reason: "unknown record (issued, renewed, revoked or crl)")
            }
        }
        return ledger
    }

    mutating func parseIssued(_ words: [[UInt8]], line: Int) throws(EnrollmentError) {
        let fields = try EnrollmentLedger.fieldValues(words, ["serial", "user", "key", "not-after", "node-ids"], line: line)
        var ids: [[UInt8]] = []
        for part in fields[4].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard let id = EnrollmentLedger.hex(Array(part)) else { throw .ledger(line: line, reason: "malformed node-ids") }
            ids.append(id)
        }
        guard let serial = EnrollmentLedger.hex(fields[0]), let key = EnrollmentLedger.hex(fields[2]), key.count == 32,
            let notAfter = EnrollmentLedger.number(fields[3])
        else { throw .ledger(line: line, reason: "malformed issued record") }
        let record = IssuedCertificate(
            serialNumber: serial, user: String(decoding: fields[1], as: UTF8.self), keyHash: key, notAfterSeconds: Int64(notAfter),
            nodeIds: ids)
        do throws(EnrollmentError) {
            try self.record(record)
        } catch {
            throw .ledger(line: line, reason: "issued record repeats a key, serial or Node-ID, or names no valid user")
        }
    }

    /// `TYPE name1=value1 name2=value2 ...` with exactly these names in this order.
    static func fieldValues(_ words: [[UInt8]], _ names: [String], line: Int) throws(EnrollmentError) -> [[UInt8]] {
        guard words.count == names.count + 1 else {
            throw .ledger(line: line, reason: "expected fields " + names.joined(separator: " "))
        }
        var values: [[UInt8]] = []
        for (index, name) in names.enumerated() {
            let prefix = Array((name + "=").utf8)
            let word = words[index + 1]
            guard word.starts(with: prefix), word.count > prefix.count else {
                throw .ledger(line: line, reason: "expected \(name)=...")
            }
            values.append(Array(word[prefix.count...]))
        }
        return values
    }

    /// Lowercase hex of 1 to 64 bytes.
    static func hex(_ text: [UInt8]) -> [UInt8]? {
        guard !text.isEmpty, text.count <= 128,
            text.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { return nil }
        return Hex.decode(text)
    }

    /// 1 to 18 decimal digits (so that it fits Int64 too).
    static func number(_ text: [UInt8]) -> UInt64? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return text.reduce(0) { $0 * 10 + UInt64($1 - 0x30) }
    }
}
