import Platform

/// `p2psip ca init|serve|user|revoke|crl`: the enrollment server and its administration.
enum CACommand {
    static let usage = """
        usage: p2psip \(CAInitCommand.usage)
               p2psip \(CAServeCommand.usage)
               p2psip \(CAUserCommand.addUsage)
               p2psip \(CAUserCommand.listUsage)
               p2psip \(CARevokeCommand.revokeUsage)
               p2psip \(CARevokeCommand.crlUsage)
        """

    static func run(_ arguments: [String]) -> Int32 {
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "init": return CAInitCommand.run(rest)
        case "serve": return CAServeCommand.run(rest)
        case "user": return CAUserCommand.run(rest)
        case "revoke": return CARevokeCommand.run(rest, revoking: true)
        case "crl": return CARevokeCommand.run(rest, revoking: false)
        default:
            Console.error(usage)
            return 2
        }
    }
}
