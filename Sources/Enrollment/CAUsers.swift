import Crypto

/// The accounts of the enrollment server (RFC 6940 §11.3: the server "MUST authenticate the
/// request using the provided account name and password"). Passwords are stored as
/// PBKDF2-SHA256 hashes (PasswordHash).
public enum CAUsers {
    /// One user as `ca user list` shows it: the cap, the Node-IDs issued over all time, the
    /// certificates and how many of them are revoked.
    public struct Summary: Equatable {
        public let name: String
        public let maxNodeIds: Int
        public let nodeIds: Int
        public let certificates: Int
        public let revoked: Int
    }

    /// Adds `name` with a hash of `password` and rewrites the accounts file. Returns the
    /// user's Node-ID cap (their own or the policy's).
    public static func add<Store: CAFileStore>(
        _ files: CAFiles<Store>, name: String, password: [UInt8], maxNodeIds: Int?, iterations: Int, random: RandomGenerator
    ) throws(CAError) -> Int {
        guard Account.isValidName(Array(name.utf8)) else {
            throw CAError("user '\(name)': 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit")
        }
        var accounts = try files.accounts()
        let hash: PasswordHash
        do throws(CryptoError) {
            hash = try PasswordHash.create(password: password, iterations: iterations, using: random)
        } catch {
            throw CAError("password hash: \(error.description)")
        }
        do throws(EnrollmentError) {
            try accounts.add(Account(name: name, passwordHash: hash, maxNodeIds: maxNodeIds))
        } catch {
            throw CAError(error.description)
        }
        try files.store.write(CAFileNames.accounts, accounts.serialized(), mode: CAFileNames.privateMode)
        return maxNodeIds ?? accounts.policy.maxNodeIdsPerUser
    }

    /// Every account with what the ledger says of it, in the accounts file's order.
    public static func summaries(_ accounts: AccountsFile, ledger: EnrollmentLedger) -> [Summary] {
        var rows: [Summary] = []
        for account in accounts.accounts {
            let serials = ledger.serials(user: account.name)
            rows.append(Summary(
                name: account.name, maxNodeIds: account.maxNodeIds ?? accounts.policy.maxNodeIdsPerUser,
                nodeIds: ledger.nodeIdCount(user: account.name), certificates: serials.count,
                revoked: serials.filter { ledger.isRevoked($0) }.count))
        }
        return rows
    }
}
