import Reload

/// Counts the overlay's messages by purpose, read from the bytes the simulated network carries:
/// the message code follows the forwarding header (RFC 6940 §6.3.2, §6.3.3).
public struct MessageTraffic: Equatable, Sendable {
    /// Topology and liveness (Join, Leave, Update, Attach, Ping, RouteQuery, Probe, errors
    /// and anything else that is not the workload): what keeps the overlay running.
    public var maintenanceMessages: UInt64 = 0
    public var maintenanceBytes: UInt64 = 0
    /// The users' requests and their answers (Store, Fetch, Stat, Find, AppAttach).
    public var workloadMessages: UInt64 = 0
    public var workloadBytes: UInt64 = 0

    public init() {}

    mutating func count(_ message: [UInt8]) {
        guard let headerLength = MessageTraffic.headerLength(of: message),
            let code = MessageTraffic.code(of: message, headerLength: headerLength)
        else {
            maintenanceMessages += 1
            maintenanceBytes += UInt64(message.count)
            return
        }
        switch code {
        case .storeRequest, .storeAnswer, .fetchRequest, .fetchAnswer, .statRequest, .statAnswer, .findRequest, .findAnswer,
            .appAttachRequest, .appAttachAnswer:
            workloadMessages += 1
            workloadBytes += UInt64(message.count)
        default:
            maintenanceMessages += 1
            maintenanceBytes += UInt64(message.count)
        }
    }

    /// §6.3.2: 38 fixed bytes, then the via list, destination list and options whose lengths
    /// the last three 16-bit fields of the fixed part give.
    static func headerLength(of message: [UInt8]) -> Int? {
        guard message.count >= 38 else { return nil }
        func field(_ at: Int) -> Int { Int(message[at]) << 8 | Int(message[at + 1]) }
        let length = 38 + field(32) + field(34) + field(36)
        return length <= message.count ? length : nil
    }

    /// The message code after a header of `headerLength` bytes, nil when there is none.
    static func code(of message: [UInt8], headerLength: Int) -> MessageCode? {
        guard headerLength + 2 <= message.count else { return nil }
        return MessageCode(rawValue: UInt16(message[headerLength]) << 8 | UInt16(message[headerLength + 1]))
    }
}
