import Crypto
import Enrollment
import Platform
import Wire

/// `p2psip ca user add|list`: the accounts of the enrollment server (RFC 6940 §11.3: the
/// server "MUST authenticate the request using the provided account name and password").
/// Passwords are stored as PBKDF2-SHA256 hashes (PasswordHash); a running `ca serve` notices
/// the rewritten accounts file within a second.
enum CAUserCommand {
    static let addUsage = "ca user add --dir DIR --user NAME --password-file FILE [--max-node-ids N] [--iterations N]"
    static let listUsage = "ca user list --dir DIR"

    static func run(_ arguments: [String]) -> Int32 {
        switch arguments.first {
        case "add":
            do throws(CommandFailure) {
                try add(Array(arguments.dropFirst()))
                return 0
            } catch {
                return error.report("ca user add", usage: addUsage)
            }
        case "list":
            do throws(CommandFailure) {
                try list(Array(arguments.dropFirst()))
                return 0
            } catch {
                return error.report("ca user list", usage: listUsage)
            }
        default:
            Console.error("usage: p2psip \(addUsage)\n       p2psip \(listUsage)")
            return 2
        }
    }

    static func add(_ arguments: [String]) throws(CommandFailure) {
        let options = try CommandOptions.parse(
            arguments, valued: ["--dir", "--user", "--password-file", "--max-node-ids", "--iterations"])
        let directory = CADirectory(path: try options.required("--dir"))
        let name = try options.required("--user")
        guard Account.isValidName(Array(name.utf8)) else {
            throw .usage("--user '\(name)': 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit")
        }
        let password = try CommandSupport.readPassword(try options.required("--password-file"), option: "--password-file")
        let maximum = options.value("--max-node-ids") == nil
            ? nil : Int(try options.integer("--max-node-ids", in: 1...1_000_000, default: 1))
        let iterationRange = CryptoLimits.passwordIterationRange
        let iterations = Int(try options.integer(
            "--iterations", in: Int64(iterationRange.lowerBound)...Int64(iterationRange.upperBound),
            default: Int64(CryptoLimits.defaultPasswordIterations)))
        var accounts = try directory.accounts()
        let random = try CommandSupport.random()
        let hash: PasswordHash
        do throws(CryptoError) {
            hash = try PasswordHash.create(password: password, iterations: iterations, using: random)
        } catch {
            throw .failed("password hash: \(error.description)")
        }
        try addAccount(Account(name: name, passwordHash: hash, maxNodeIds: maximum), to: &accounts)
        try directory.write(CADirectory.accounts, accounts.serialized(), mode: 0o600)
        let cap = maximum ?? accounts.policy.maxNodeIdsPerUser
        Console.out("added user \(name): at most \(cap) Node-IDs over all time; PBKDF2-SHA256 with \(iterations) iterations")
    }

    static func addAccount(_ account: Account, to accounts: inout AccountsFile) throws(CommandFailure) {
        do throws(EnrollmentError) {
            try accounts.add(account)
        } catch {
            throw .failed(error.description)
        }
    }

    static func list(_ arguments: [String]) throws(CommandFailure) {
        let options = try CommandOptions.parse(arguments, valued: ["--dir"])
        let directory = CADirectory(path: try options.required("--dir"))
        let accounts = try directory.accounts()
        let ledger = try directory.ledger()
        let policy = accounts.policy
        Console.out("policy: \(policy.maxNodeIdsPerUser) Node-IDs per user over all time, \(policy.maxNodeIdsPerRequest) per request, "
            + "certificates valid \(policy.certificateLifetimeSeconds / 86_400) days, user rate \(policy.userRateBurst) per "
            + "\(policy.userRateRefillSeconds) s, address rate \(policy.addressRateBurst) per \(policy.addressRateRefillSeconds) s")
        Console.out("user                             max-node-ids  node-ids  certificates  revoked")
        for account in accounts.accounts {
            let serials = ledger.serials(user: account.name)
            let revoked = serials.filter { ledger.isRevoked($0) }.count
            let maximum = account.maxNodeIds ?? policy.maxNodeIdsPerUser
            Console.out(pad(account.name, 32) + " " + pad("\(maximum)", 13) + " " + pad("\(ledger.nodeIdCount(user: account.name))", 9)
                + " " + pad("\(serials.count)", 13) + " \(revoked)")
        }
        Console.out("\(accounts.accounts.count) users")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.utf8.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }
}
