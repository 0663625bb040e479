/// §6.3.3.1 error_code, with the registry of §14.9 and the additions of RFC 7851 §9.4.
/// 0 (invalidErrorCode) and the reserved range 0x8000..0xFFFE are never accepted.
public enum ErrorCode: Hashable, Sendable {
    case forbidden
    case notFound
    case requestTimeout
    case generationCounterTooLow
    case incompatibleWithOverlay
    case unsupportedForwardingOption
    case dataTooLarge
    case dataTooOld
    case ttlExceeded
    case messageTooLarge
    case unknownKind
    case unknownExtension
    case responseTooLarge
    case configTooOld
    case configTooNew
    case inProgress
    case expA
    case expB
    case invalidMessage
    case underlayDestinationUnreachable
    case underlayTimeExceeded
    case messageExpired
    case upstreamMisrouting
    case loopDetected
    case ttlHopsExceeded
    /// A code in 0x1..0x7FFF the registry leaves unassigned.
    case unassigned(UInt16)

    /// Every named code, in registry order (0x2..0x1A).
    public static let named: [ErrorCode] = [
        .forbidden, .notFound, .requestTimeout, .generationCounterTooLow, .incompatibleWithOverlay,
        .unsupportedForwardingOption, .dataTooLarge, .dataTooOld, .ttlExceeded, .messageTooLarge,
        .unknownKind, .unknownExtension, .responseTooLarge, .configTooOld, .configTooNew, .inProgress,
        .expA, .expB, .invalidMessage, .underlayDestinationUnreachable, .underlayTimeExceeded,
        .messageExpired, .upstreamMisrouting, .loopDetected, .ttlHopsExceeded,
    ]

    /// The registry's names, index = code - 2.
    static let names: [String] = [
        "Error_Forbidden", "Error_Not_Found", "Error_Request_Timeout", "Error_Generation_Counter_Too_Low",
        "Error_Incompatible_with_Overlay", "Error_Unsupported_Forwarding_Option", "Error_Data_Too_Large",
        "Error_Data_Too_Old", "Error_TTL_Exceeded", "Error_Message_Too_Large", "Error_Unknown_Kind",
        "Error_Unknown_Extension", "Error_Response_Too_Large", "Error_Config_Too_Old", "Error_Config_Too_New",
        "Error_In_Progress", "Error_Exp_A", "Error_Exp_B", "Error_Invalid_Message",
        "Error_Underlay_Destination_Unreachable", "Error_Underlay_Time_Exceeded", "Error_Message_Expired",
        "Error_Upstream_Misrouting", "Error_Loop_Detected", "Error_TTL_Hops_Exceeded",
    ]

    /// Nil for 0 and 0x8000..0xFFFE.
    public init?(rawValue: UInt16) {
        if rawValue == 0 || rawValue >= 0x8000 { return nil }
        let index = Int(rawValue) - 2
        if index >= 0 && index < ErrorCode.named.count {
            self = ErrorCode.named[index]
        } else {
            self = .unassigned(rawValue)
        }
    }

    public var rawValue: UInt16 {
        if case .unassigned(let value) = self { return value }
        for (index, code) in ErrorCode.named.enumerated() where code == self {
            return UInt16(index + 2)
        }
        preconditionFailure("every named code is in ErrorCode.named")
    }

    /// The registry's name, e.g. "Error_Forbidden".
    public var rfcName: String {
        if case .unassigned(let value) = self { return "Unassigned_\(value)" }
        return ErrorCode.names[Int(rawValue) - 2]
    }
}
