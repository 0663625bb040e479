import Crypto
import Wire

/// The accounts file of the enrollment server: the admission policy and the users.
///
///     # comment (a "#" in the first column); blank lines are ignored
///     certificate-lifetime-seconds = 2592000     settings: "key = value", each at most once,
///     max-node-ids-per-user = 4                  all optional (EnrollmentPolicy defaults)
///     max-node-ids-per-request = 4
///     user-rate-burst = 5
///     user-rate-refill-seconds = 600
///     address-rate-burst = 10
///     address-rate-refill-seconds = 60
///     renewal-opens-percent = 50
///     user alice pbkdf2-sha256$200000$SALT$HASH                users: "user NAME HASH",
///     user bob pbkdf2-sha256$200000$SALT$HASH max-node-ids=8   optionally "max-node-ids=N"
///
/// LF line ends, UTF-8 without control characters, lines of at most 1024 bytes. Unknown keys,
/// repeated settings or users and malformed values are errors naming the line.
public struct AccountsFile: Equatable {
    public var policy = EnrollmentPolicy()
    public private(set) var accounts: [Account] = []

    static let maximumLineBytes = 1024

    public init(policy: EnrollmentPolicy = EnrollmentPolicy(), accounts: [Account] = []) {
        self.policy = policy
        self.accounts = accounts
    }

    public func account(named name: String) -> Account? {
        return accounts.first { $0.name == name }
    }

    /// Adds a user; refuses a bad name, a duplicate, or more than EnrollmentLimits.maximumAccounts.
    public mutating func add(_ account: Account) throws(EnrollmentError) {
        guard Account.isValidName(Array(account.name.utf8)) else {
            throw .invalidArgument("user name must be 1-64 of a-z 0-9 . _ - starting with a letter or digit")
        }
        guard self.account(named: account.name) == nil else { throw .invalidArgument("user \(account.name) exists") }
        guard accounts.count < EnrollmentLimits.maximumAccounts else {
            throw .invalidArgument("more than \(EnrollmentLimits.maximumAccounts) accounts")
        }
        if let maximum = account.maxNodeIds, !EnrollmentPolicy.countRange.contains(maximum) {
            throw .invalidArgument("max-node-ids \(maximum) outside \(EnrollmentPolicy.countRange)")
        }
        accounts.append(account)
    }

    /// The file's text; parsing it gives an equal value.
    public func serialized() -> [UInt8] {
        var text = "# p2psip enrollment accounts: settings (key = value), then users (user NAME HASH [max-node-ids=N])\n"
        text += "certificate-lifetime-seconds = \(policy.certificateLifetimeSeconds)\n"
        text += "max-node-ids-per-user = \(policy.maxNodeIdsPerUser)\n"
        text += "max-node-ids-per-request = \(policy.maxNodeIdsPerRequest)\n"
        text += "user-rate-burst = \(policy.userRateBurst)\n"
        text += "user-rate-refill-seconds = \(policy.userRateRefillSeconds)\n"
        text += "address-rate-burst = \(policy.addressRateBurst)\n"
        text += "address-rate-refill-seconds = \(policy.addressRateRefillSeconds)\n"
        text += "renewal-opens-percent = \(policy.renewalOpensPercent)\n"
        for account in accounts {
            text += "user \(account.name) \(account.passwordHash.encoded)"
            if let maximum = account.maxNodeIds { text += " max-node-ids=\(maximum)" }
            text += "\n"
        }
        return Array(text.utf8)
    }

    /// The single entry point for the file's bytes.
    public static func parse(_ bytes: [UInt8]) throws(EnrollmentError) -> AccountsFile {
        guard bytes.count <= EnrollmentLimits.maximumAccountsFileBytes else {
            throw .accountsFile(line: 0, reason: "file of \(bytes.count) bytes")
        }
        var file = AccountsFile()
        var seenKeys: [String] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.count <= maximumLineBytes else { throw .accountsFile(line: lineNumber, reason: "line too long") }
            guard line.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
                throw .accountsFile(line: lineNumber, reason: "control character (CR, tab, ...)")
            }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            if line.starts(with: Array("user ".utf8)) {
                try file.parseUser(Array(line), line: lineNumber)
            } else {
                try file.parseSetting(Array(line), line: lineNumber, seen: &seenKeys)
            }
        }
        return file
    }

    /// `key = value`
    mutating func parseSetting(_ line: [UInt8], line number: Int, seen: inout [String]) throws(EnrollmentError) {
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
            throw .accountsFile(line: number, reason: "expected \"key = value\" or \"user NAME HASH\"")
        }
        let key = String(decoding: AccountsFile.trim(line[..<equals]), as: UTF8.self)
        let valueText = AccountsFile.trim(line[(equals + 1)...])
        guard !seen.contains(key) else { throw .accountsFile(line: number, reason: "\(key) set twice") }
        seen.append(key)
        guard let value = AccountsFile.decimal(valueText) else {
            throw .accountsFile(line: number, reason: "\(key) needs a decimal number")
        }
        func inRange<T: FixedWidthInteger>(_ range: ClosedRange<T>) throws(EnrollmentError) -> T {
            guard value >= Int64(range.lowerBound), value <= Int64(range.upperBound) else {
                throw .accountsFile(line: number, reason: "\(key) outside \(range.lowerBound)...\(range.upperBound)")
            }
            return T(value)
        }
        switch key {
        case "certificate-lifetime-seconds": policy.certificateLifetimeSeconds = try inRange(EnrollmentPolicy.lifetimeRange)
        case "max-node-ids-per-user": policy.maxNodeIdsPerUser = try inRange(EnrollmentPolicy.countRange)
        case "max-node-ids-per-request": policy.maxNodeIdsPerRequest = try inRange(1...CryptoLimits.maximumNodeIdsPerCertificate)
        case "user-rate-burst": policy.userRateBurst = try inRange(EnrollmentPolicy.burstRange)
        case "user-rate-refill-seconds": policy.userRateRefillSeconds = try inRange(EnrollmentPolicy.refillRange)
        case "address-rate-burst": policy.addressRateBurst = try inRange(EnrollmentPolicy.burstRange)
        case "address-rate-refill-seconds": policy.addressRateRefillSeconds = try inRange(EnrollmentPolicy.refillRange)
        case "renewal-opens-percent": policy.renewalOpensPercent = try inRange(EnrollmentPolicy.renewalOpensRange)
        default: throw .accountsFile(line: number, reason: "unknown setting \(key)")
        }
    }

    /// `user NAME HASH [max-node-ids=N]`
    mutating func parseUser(_ line: [UInt8], line number: Int) throws(EnrollmentError) {
        let fields = line.split(separator: 0x20)
        guard fields.count == 3 || fields.count == 4 else {
            throw .accountsFile(line: number, reason: "expected \"user NAME HASH [max-node-ids=N]\"")
        }
        let name = String(decoding: fields[1], as: UTF8.self)
        let hash: PasswordHash
        do throws(CryptoError) {
            hash = try PasswordHash(encoded: String(decoding: fields[2], as: UTF8.self))
        } catch {
            throw .accountsFile(line: number, reason: "password hash of \(name): \(error.description)")
        }
        var maximum: Int? = nil
        if fields.count == 4 {
            let option = Array(fields[3])
            let prefix = Array("max-node-ids=".utf8)
            guard option.starts(with: prefix), let value = AccountsFile.decimal(option[prefix.count...]) else {
                throw .accountsFile(line: number, reason: "unknown user option (only max-node-ids=N)")
            }
            guard value <= Int64(EnrollmentPolicy.countRange.upperBound) else {
                throw .accountsFile(line: number, reason: "max-node-ids outside \(EnrollmentPolicy.countRange)")
            }
            maximum = Int(value)
        }
        do throws(EnrollmentError) {
            try add(Account(name: name, passwordHash: hash, maxNodeIds: maximum))
        } catch {
            if case .invalidArgument(let reason) = error { throw .accountsFile(line: number, reason: reason) }
            throw error
        }
    }

    static func trim(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var slice = bytes
        while slice.first == 0x20 { slice = slice.dropFirst() }
        while slice.last == 0x20 { slice = slice.dropLast() }
        return Array(slice)
    }

    /// 1 to 12 decimal digits, no sign.
    static func decimal<C: Collection>(_ digits: C) -> Int64? where C.Element == UInt8 {
        DecimalDigits.value(digits, maximumDigits: 12)
    }
}
