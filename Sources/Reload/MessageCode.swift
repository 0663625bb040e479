/// §6.3.3 message_code, with the codes of the IANA registry (§14.8) and RFC 7851 §9.3.
/// Requests are odd, the answer is the request plus one, 0xFFFF is an error. 0 is invalid and
/// 0x8000..0xFFFE are reserved: neither is ever accepted.
public enum MessageCode: Hashable, Sendable {
    case probeRequest, probeAnswer
    case attachRequest, attachAnswer
    case storeRequest, storeAnswer
    case fetchRequest, fetchAnswer
    case findRequest, findAnswer
    case joinRequest, joinAnswer
    case leaveRequest, leaveAnswer
    case updateRequest, updateAnswer
    case routeQueryRequest, routeQueryAnswer
    case pingRequest, pingAnswer
    case statRequest, statAnswer
    case appAttachRequest, appAttachAnswer
    case configUpdateRequest, configUpdateAnswer
    case expARequest, expAAnswer
    case expBRequest, expBAnswer
    /// RFC 7851 §9.3.
    case pathTrackRequest, pathTrackAnswer
    case error
    /// A code in 0x1..0x7FFF that the registry leaves unassigned (e.g. the old remove_req 0xB).
    case unassigned(UInt16)

    /// Every named code, in registry order.
    public static let named: [MessageCode] = [
        .probeRequest, .probeAnswer, .attachRequest, .attachAnswer, .storeRequest, .storeAnswer,
        .fetchRequest, .fetchAnswer, .findRequest, .findAnswer, .joinRequest, .joinAnswer,
        .leaveRequest, .leaveAnswer, .updateRequest, .updateAnswer, .routeQueryRequest,
        .routeQueryAnswer, .pingRequest, .pingAnswer, .statRequest, .statAnswer, .appAttachRequest,
        .appAttachAnswer, .configUpdateRequest, .configUpdateAnswer, .expARequest, .expAAnswer,
        .expBRequest, .expBAnswer, .pathTrackRequest, .pathTrackAnswer, .error,
    ]

    /// Nil for 0 (invalidMessageCode) and for the reserved range 0x8000..0xFFFE.
    public init?(rawValue: UInt16) {
        if rawValue == 0 || (rawValue >= 0x8000 && rawValue != ReloadConstants.errorMessageCode) { return nil }
        for code in MessageCode.named where code.rawValue == rawValue {
            self = code
            return
        }
        self = .unassigned(rawValue)
    }

    public var rawValue: UInt16 {
        switch self {
        case .probeRequest: return 0x1
        case .probeAnswer: return 0x2
        case .attachRequest: return 0x3
        case .attachAnswer: return 0x4
        case .storeRequest: return 0x7
        case .storeAnswer: return 0x8
        case .fetchRequest: return 0x9
        case .fetchAnswer: return 0xA
        case .findRequest: return 0xD
        case .findAnswer: return 0xE
        case .joinRequest: return 0xF
        case .joinAnswer: return 0x10
        case .leaveRequest: return 0x11
        case .leaveAnswer: return 0x12
        case .updateRequest: return 0x13
        case .updateAnswer: return 0x14
        case .routeQueryRequest: return 0x15
        case .routeQueryAnswer: return 0x16
        case .pingRequest: return 0x17
        case .pingAnswer: return 0x18
        case .statRequest: return 0x19
        case .statAnswer: return 0x1A
        default: return laterRawValue
        }
    }

    var laterRawValue: UInt16 {
        switch self {
        case .appAttachRequest: return 0x1D
        case .appAttachAnswer: return 0x1E
        case .configUpdateRequest: return 0x21
        case .configUpdateAnswer: return 0x22
        case .expARequest: return 0x23
        case .expAAnswer: return 0x24
        case .expBRequest: return 0x25
        case .expBAnswer: return 0x26
        case .pathTrackRequest: return 0x27
        case .pathTrackAnswer: return 0x28
        case .error: return ReloadConstants.errorMessageCode
        case .unassigned(let value): return value
        default: preconditionFailure("covered by rawValue")
        }
    }

    /// §6.3.3: requests are odd (the error code 0xFFFF is odd too, but is no request).
    public var isRequest: Bool { self != .error && rawValue & 1 == 1 }

    /// The registry's name, e.g. "store_req" (§14.8), "path_track_ans" (RFC 7851).
    public var rfcName: String {
        if case .unassigned(let value) = self { return "unassigned_\(value)" }
        if self == .error { return "error" }
        let methods = [
            "probe", "attach", "", "store", "fetch", "", "find", "join", "leave", "update",
            "route_query", "ping", "stat", "", "app_attach", "", "config_update", "exp_a", "exp_b",
            "path_track",
        ]
        let method = methods[Int((rawValue + 1) / 2) - 1]
        return method + (isRequest ? "_req" : "_ans")
    }
}
