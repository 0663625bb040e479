import SIPFront
import Wire

/// The SIP part of `p2psip status` (peers with `--sip-accounts`): where phones register,
/// the accounts, the live registrations, the SIP connections to other peers, and counters.
public struct SIPStatus {
    public struct Connection {
        var peer: String
        var address: String
        var established: Bool
    }

    var phones: String
    var connectionAddress: String
    var accounts: [String]
    var bindings: Int
    var transactions: Int
    var connections: [Connection]
    var counters: [(String, UInt64)]

    var text: [String] {
        var lines = [
            "sip:",
            "  phones register at: \(phones) (accounts: \(accounts.joined(separator: ", ")))",
            "  registered contacts: \(bindings), calls and requests in progress: \(transactions)",
            "  connections between peers at: \(connectionAddress)",
        ]
        for connection in connections {
            lines.append("  connection: \(connection.peer) at \(connection.address)\(connection.established ? "" : " (handshaking)")")
        }
        var counterText = "  counters:"
        for (index, (name, value)) in counters.enumerated() { counterText += (index == 0 ? " " : ", ") + "\(name) \(value)" }
        lines.append(counterText)
        return lines
    }

    /// The SIP front's refusals by cause (its budgets and Digest penalties), as counters.
    static func refusals(_ counters: SIPFrontCounters) -> [(String, UInt64)] {
        return [
            ("registers_rate_limited", counters.registersRateLimited), ("requests_rate_limited", counters.requestsRateLimited),
            ("digest_failures", counters.digestFailures), ("refused_source_penalty", counters.refusedSourcePenalty),
            ("refused_user_penalty", counters.refusedUserPenalty),
        ]
    }

    var json: JSONValue {
        return .object([
            .init("phones", .string(phones)), .init("connection_address", .string(connectionAddress)),
            .init("accounts", .array(accounts.map { .string($0) })), .init("registered_contacts", .integer(Int64(bindings))),
            .init("transactions", .integer(Int64(transactions))),
            .init("connections", .array(connections.map {
                .object([.init("node_id", .string($0.peer)), .init("address", .string($0.address)), .init("established", .bool($0.established))])
            })),
            .init("counters", .object(counters.map { .init($0.0, .integer(Int64(clamping: $0.1))) })),
        ])
    }
}
