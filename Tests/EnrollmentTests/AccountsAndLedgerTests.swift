import Crypto
import Enrollment
import Testing
import Wire

@Suite struct AccountsAndLedgerTests {
    static let hash = "pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$" + String(repeating: "ab", count: 32)

    @Test func accountsRoundTrip() throws {
        var file = AccountsFile()
        file.policy.certificateLifetimeSeconds = 86_400
        file.policy.maxNodeIdsPerUser = 3
        try file.add(Account(name: "alice", passwordHash: PasswordHash(encoded: AccountsAndLedgerTests.hash)))
        try file.add(Account(name: "bob.b-2_x", passwordHash: PasswordHash(encoded: AccountsAndLedgerTests.hash), maxNodeIds: 9))
        let parsed = try AccountsFile.parse(file.serialized())
        #expect(parsed == file)
        #expect(parsed.account(named: "bob.b-2_x")?.maxNodeIds == 9)
        #expect(throws: EnrollmentError.invalidArgument("user alice exists")) {
            try file.add(Account(name: "alice", passwordHash: PasswordHash(encoded: AccountsAndLedgerTests.hash)))
        }
        #expect(throws: EnrollmentError.self) {
            try file.add(Account(name: "Alice", passwordHash: PasswordHash(encoded: AccountsAndLedgerTests.hash)))
        }
    }

    @Test func defaultsWhenSettingsAreAbsent() throws {
        let file = try AccountsFile.parse(Array("# only a user\n\nuser carol \(AccountsAndLedgerTests.hash)\n".utf8))
        #expect(file.policy == EnrollmentPolicy())
        #expect(file.accounts.map { $0.name } == ["carol"])
    }

    @Test(arguments: [
        ("colour = 3", 1, "unknown setting colour"),
        ("max-node-ids-per-user = 3\nmax-node-ids-per-user = 4", 2, "max-node-ids-per-user set twice"),
        ("max-node-ids-per-user = three", 1, "max-node-ids-per-user needs a decimal number"),
        ("max-node-ids-per-request = 17", 1, "max-node-ids-per-request outside 1...16"),
        ("certificate-lifetime-seconds = 60", 1, "certificate-lifetime-seconds outside 3600...315360000"),
        ("\nuser alice", 2, "expected \"user NAME HASH [max-node-ids=N]\""),
        ("user alice \(hash) colour=red", 1, "unknown user option (only max-node-ids=N)"),
        ("user alice \(hash)\nuser alice \(hash)", 2, "user alice exists"),
        ("user Alice \(hash)", 1, "user name must be 1-64 of a-z 0-9 . _ - starting with a letter or digit"),
        ("just words", 1, "expected \"key = value\" or \"user NAME HASH\""),
        ("user-rate-burst = 5\r", 1, "control character (CR, tab, ...)"),
    ])
    func accountErrorsNameTheLine(text: String, line: Int, reason: String) {
        #expect(throws: EnrollmentError.accountsFile(line: line, reason: reason)) { try AccountsFile.parse(Array(text.utf8)) }
    }

    @Test func badHashNamesTheLine() {
        #expect {
            try AccountsFile.parse(Array("\n\nuser alice pbkdf2-sha256$1$00$00\n".utf8))
        } throws: { error in
            if case .accountsFile(let line, _) = error as? EnrollmentError { return line == 3 }
            return false
        }
    }

    static func record(_ byte: UInt8, user: String = "alice") -> IssuedCertificate {
        return IssuedCertificate(
            serialNumber: [0x40, byte], user: user, keyHash: [UInt8](repeating: byte, count: 32), notAfterSeconds: 2_000_000_000,
            nodeIds: [[UInt8](repeating: byte, count: 16), [UInt8](repeating: byte &+ 100, count: 16)])
    }

    @Test func ledgerRoundTripAndLookups() throws {
        var ledger = EnrollmentLedger()
        try ledger.record(AccountsAndLedgerTests.record(1))
        try ledger.record(AccountsAndLedgerTests.record(2, user: "bob"))
        let revocations = [
            ledger.revoke(serialNumber: [0x40, 1], atSeconds: 1_900_000_000), ledger.revoke(serialNumber: [0x40, 1], atSeconds: 1_900_000_000),
            ledger.revoke(serialNumber: [0x40, 9], atSeconds: 1_900_000_000),
        ]
        #expect(revocations == [true, false, false])
        let numbers = [ledger.nextCRLNumber(), ledger.nextCRLNumber()]
        #expect(numbers == [1, 2])
        let parsed = try EnrollmentLedger.parse(ledger.serialized())
        #expect(parsed.serialized() == ledger.serialized())
        #expect(parsed.nodeIdCount(user: "alice") == 2)
        #expect(parsed.isKeyEnrolled([UInt8](repeating: 2, count: 32)))
        #expect(parsed.isNodeIdIssued([UInt8](repeating: 102, count: 16)))
        #expect(parsed.serials(nodeId: [UInt8](repeating: 2, count: 16)) == [[0x40, 2]])
        #expect(parsed.isRevoked([0x40, 1]))
        #expect(parsed.crlNumber == 2)
        #expect(parsed.revokedCertificates(now: WallTime(secondsSince1970: 1_950_000_000)).map { $0.serialNumber } == [[0x40, 1]])
        #expect(parsed.revokedCertificates(now: WallTime(secondsSince1970: 2_100_000_000)).isEmpty)
        // A repeated key is refused.
        var again = parsed
        #expect(throws: EnrollmentError.self) { try again.record(AccountsAndLedgerTests.record(1, user: "carol")) }
    }

    @Test(arguments: [
        ("issued serial=40 user=alice", 1),
        ("issued serial=40 user=alice key=00 not-after=1 node-ids=00", 1),  // key is not 32 bytes
        ("revoked serial=40 at=1", 1),  // unknown serial
        ("crl number=0", 1),
        ("crl number=2\ncrl number=1", 2),
        ("something else", 1),
        ("issued serial=4G user=alice key=\(String(repeating: "00", count: 32)) not-after=1 node-ids=01", 1),
    ])
    func ledgerErrorsNameTheLine(text: String, line: Int) {
        #expect {
            try EnrollmentLedger.parse(Array(text.utf8))
        } throws: { error in
            if case .ledger(let found, _) = error as? EnrollmentError { return found == line }
            return false
        }
    }

    @Test func tokenBucketsAndTheBoundedTable() {
        var bucket = RateLimiter(capacity: 1, burst: 2, refillSeconds: 10)
        var waits: [Int64?] = []
        for seconds: Int64 in [100, 100, 100, 105, 110, 50] { waits.append(bucket.take([1], now: WallTime(secondsSince1970: seconds))) }
        // A clock going back (50) refills nothing.
        #expect(waits == [nil, nil, 10, 5, nil, 10])
        var limiter = RateLimiter(capacity: 3, burst: 1, refillSeconds: 60)
        var answers: [Int64?] = []
        for key: UInt8 in 1...3 { answers.append(limiter.take([key], now: WallTime(secondsSince1970: 0))) }
        answers.append(limiter.take([1], now: WallTime(secondsSince1970: 0)))
        // Full of active buckets: a new key is refused (fail closed).
        answers.append(limiter.take([4], now: WallTime(secondsSince1970: 1)))
        #expect(answers == [nil, nil, nil, 60, 60])
        #expect(limiter.count == 3)
        // Once the buckets refilled, they are dropped to make room.
        let later = limiter.take([4], now: WallTime(secondsSince1970: 61))
        #expect(later == nil)
        #expect(limiter.count == 1)
    }
}
