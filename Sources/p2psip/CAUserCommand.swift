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
        let random = try CommandSupport.random()
        let cap = try CommandFailure.failing { () throws(CAError) in
            try CAUsers.add(
                directory.files, name: name, password: password, maxNodeIds: maximum, iterations: iterations, random: random)
        }
        Console.out("added user \(name): at most \(cap) Node-IDs over all time; PBKDF2-SHA256 with \(iterations) iterations")
    }

    static func list(_ arguments: [String]) throws(CommandFailure) {
        let options = try CommandOptions.parse(arguments, valued: ["--dir"])
        let directory = CADirectory(path: try options.required("--dir"))
        let (accounts, ledger) = try CommandFailure.failing { () throws(CAError) in
            (try directory.files.accounts(), try directory.files.ledger())
        }
        let policy = accounts.policy
        Console.out("policy: \(policy.maxNodeIdsPerUser) Node-IDs per user over all time, \(policy.maxNodeIdsPerRequest) per request, "
            + "certificates valid \(policy.certificateLifetimeSeconds / 86_400) days, user rate \(policy.userRateBurst) per "
            + "\(policy.userRateRefillSeconds) s, address rate \(policy.addressRateBurst) per \(policy.addressRateRefillSeconds) s, "
            + "renewal from \(policy.renewalOpensPercent) % of a certificate's validity")
        Console.out("user                             max-node-ids  node-ids  certificates  revoked")
        for row in CAUsers.summaries(accounts, ledger: ledger) {
            Console.out(pad(row.name, 32) + " " + pad("\(row.maxNodeIds)", 13) + " " + pad("\(row.nodeIds)", 9)
                + " " + pad("\(row.certificates)", 13) + " \(row.revoked)")
        }
        Console.out("\(accounts.accounts.count) users")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.utf8.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }
}
