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
    /// Messages and bytes per message code (RFC 6940 §14.8; "none" for bytes without one):
    /// at most one entry per 16-bit code.
    public var byCode: [String: (messages: UInt64, bytes: UInt64)] = [:]

    public init() {}

    public static func == (left: MessageTraffic, right: MessageTraffic) -> Bool {
        left.maintenanceMessages == right.maintenanceMessages && left.maintenanceBytes == right.maintenanceBytes
            && left.workloadMessages == right.workloadMessages && left.workloadBytes == right.workloadBytes
            && left.byCode.count == right.byCode.count
            && left.byCode.allSatisfy { key, value in right.byCode[key].map { $0 == value } ?? false }
    }

    mutating func count(_ message: [UInt8]) {
        guard let headerLength = MessageTraffic.headerLength(of: message),
            let code = MessageTraffic.code(of: message, headerLength: headerLength)
        else {
            tally("none", message.count)
            maintenanceMessages += 1
            maintenanceBytes += UInt64(message.count)
            return
        }
        tally(code.rfcName, message.count)
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

    private mutating func tally(_ name: String, _ bytes: Int) {
        let old = byCode[name] ?? (0, 0)
        byCode[name] = (old.messages + 1, old.bytes + UInt64(bytes))
    }

    /// traffic.csv rows: code, messages, bytes, per peer per second over `peerSeconds`; most
    /// messages first, then by name.
    public func rows(peerSeconds: Double) -> [String] {
        byCode.sorted { $0.value.messages != $1.value.messages ? $0.value.messages > $1.value.messages : $0.key < $1.key }
            .map { name, value in
                "\(name),\(value.messages),\(value.bytes),\(ScenarioReport.decimal(Double(value.messages) / max(peerSeconds, 1), places: 4))"
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
