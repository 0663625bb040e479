import Platform

/// `p2psip identity self-signed ...` (RFC 6940 §11.3.1).
enum IdentityCommand {
    static func run(_ arguments: [String]) -> Int32 {
        switch arguments.first {
        case "self-signed":
            return SelfSignedCommand.run(Array(arguments.dropFirst()))
        default:
            Console.error("usage: p2psip \(SelfSignedCommand.usage)")
            return 2
        }
    }
}
