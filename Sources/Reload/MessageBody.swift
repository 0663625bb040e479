import Wire

/// §6.3.3 message_body, interpreted by message_code: the structures of §6.4.2, §6.5 and §7
/// with the CHORD-RELOAD bodies of §10.7-§10.9 for Update, RouteQuery and Leave. LeaveAns,
/// UpdateAns and ConfigUpdateAns are empty. Codes whose body this codec does not define
/// (Exp_A/Exp_B, RFC 7851 PathTrack, unassigned codes) keep their body as bytes.
public enum MessageBody: Equatable, Sendable {
    case probeRequest(ProbeReq)
    case probeAnswer(ProbeAns)
    case attachRequest(AttachReqAns)
    case attachAnswer(AttachReqAns)
    case storeRequest(StoreReq)
    case storeAnswer(StoreAns)
    case fetchRequest(FetchReq)
    case fetchAnswer(FetchAns)
    case findRequest(FindReq)
    case findAnswer(FindAns)
    case joinRequest(JoinReq)
    case joinAnswer(JoinAns)
    case leaveRequest(LeaveReq)
    case leaveAnswer
    case updateRequest(ChordUpdate)
    case updateAnswer
    case routeQueryRequest(RouteQueryReq)
    case routeQueryAnswer(ChordRouteQueryAns)
    case pingRequest(PingReq)
    case pingAnswer(PingAns)
    case statRequest(StatReq)
    case statAnswer(StatAns)
    case appAttachRequest(AppAttachReq)
    case appAttachAnswer(AppAttachAns)
    case configUpdateRequest(ConfigUpdateReq)
    case configUpdateAnswer
    case error(ErrorResponse)
    case opaque(MessageCode, [UInt8])

    public var code: MessageCode {
        switch self {
        case .probeRequest: return .probeRequest
        case .probeAnswer: return .probeAnswer
        case .attachRequest: return .attachRequest
        case .attachAnswer: return .attachAnswer
        case .storeRequest: return .storeRequest
        case .storeAnswer: return .storeAnswer
        case .fetchRequest: return .fetchRequest
        case .fetchAnswer: return .fetchAnswer
        case .findRequest: return .findRequest
        case .findAnswer: return .findAnswer
        case .joinRequest: return .joinRequest
        case .joinAnswer: return .joinAnswer
        case .leaveRequest: return .leaveRequest
        case .leaveAnswer: return .leaveAnswer
        case .updateRequest: return .updateRequest
        case .updateAnswer: return .updateAnswer
        case .routeQueryRequest: return .routeQueryRequest
        case .routeQueryAnswer: return .routeQueryAnswer
        case .pingRequest: return .pingRequest
        case .pingAnswer: return .pingAnswer
        case .statRequest: return .statRequest
        case .statAnswer: return .statAnswer
        case .appAttachRequest: return .appAttachRequest
        case .appAttachAnswer: return .appAttachAnswer
        case .configUpdateRequest: return .configUpdateRequest
        case .configUpdateAnswer: return .configUpdateAnswer
        case .error: return .error
        case .opaque(let code, _): return code
        }
    }

    /// Decodes the body of a message with `code` from a reader whose window is exactly the body.
    public static func decode(
        code: MessageCode, from reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> MessageBody {
        let body: MessageBody
        if let decoded = try decodeTopology(code, &reader, configuration) {
            body = decoded
        } else if let decoded = try decodeStorage(code, &reader, configuration) {
            body = decoded
        } else {
            body = try decodeOther(code, &reader, configuration)
        }
        try reader.expectEnd("MessageContents.message_body")
        return body
    }

    /// §6.4.2, §6.5: overlay and link management.
    static func decodeTopology(
        _ code: MessageCode, _ reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> MessageBody? {
        switch code {
        case .probeRequest: return .probeRequest(try ProbeReq.decode(from: &reader, configuration))
        case .probeAnswer: return .probeAnswer(try ProbeAns.decode(from: &reader, configuration))
        case .attachRequest: return .attachRequest(try AttachReqAns.decode(from: &reader, configuration))
        case .attachAnswer: return .attachAnswer(try AttachReqAns.decode(from: &reader, configuration))
        case .joinRequest: return .joinRequest(try JoinReq.decode(from: &reader, configuration))
        case .joinAnswer: return .joinAnswer(try JoinAns.decode(from: &reader, configuration))
        case .leaveRequest: return .leaveRequest(try LeaveReq.decode(from: &reader, configuration))
        case .leaveAnswer: return .leaveAnswer
        case .updateRequest: return .updateRequest(try ChordUpdate.decode(from: &reader, configuration))
        case .updateAnswer: return .updateAnswer
        case .routeQueryRequest: return .routeQueryRequest(try RouteQueryReq.decode(from: &reader, configuration))
        case .routeQueryAnswer: return .routeQueryAnswer(try ChordRouteQueryAns.decode(from: &reader, configuration))
        case .pingRequest: return .pingRequest(try PingReq.decode(from: &reader, configuration))
        case .pingAnswer: return .pingAnswer(try PingAns.decode(from: &reader, configuration))
        case .appAttachRequest: return .appAttachRequest(try AppAttachReq.decode(from: &reader, configuration))
        case .appAttachAnswer: return .appAttachAnswer(try AppAttachAns.decode(from: &reader, configuration))
        default: return nil
        }
    }

    /// §7.4: storage.
    static func decodeStorage(
        _ code: MessageCode, _ reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> MessageBody? {
        switch code {
        case .storeRequest: return .storeRequest(try StoreReq.decode(from: &reader, configuration))
        case .storeAnswer: return .storeAnswer(try StoreAns.decode(from: &reader, configuration))
        case .fetchRequest: return .fetchRequest(try FetchReq.decode(from: &reader, configuration))
        case .fetchAnswer: return .fetchAnswer(try FetchAns.decode(from: &reader, configuration))
        case .statRequest: return .statRequest(try StatReq.decode(from: &reader, configuration))
        case .statAnswer: return .statAnswer(try StatAns.decode(from: &reader, configuration))
        case .findRequest: return .findRequest(try FindReq.decode(from: &reader, configuration))
        case .findAnswer: return .findAnswer(try FindAns.decode(from: &reader, configuration))
        default: return nil
        }
    }

    /// ConfigUpdate (§6.5.4), errors (§6.3.3.1) and bodies kept as bytes.
    static func decodeOther(
        _ code: MessageCode, _ reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> MessageBody {
        switch code {
        case .configUpdateRequest: return .configUpdateRequest(try ConfigUpdateReq.decode(from: &reader, configuration))
        case .configUpdateAnswer: return .configUpdateAnswer
        case .error: return .error(try ErrorResponse.decode(from: &reader, configuration))
        default: return .opaque(code, try reader.readBytes(reader.remaining, "MessageContents.message_body"))
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch self {
        case .probeRequest(let body): try body.encode(to: &writer)
        case .probeAnswer(let body): try body.encode(to: &writer)
        case .attachRequest(let body), .attachAnswer(let body): try body.encode(to: &writer)
        case .storeRequest(let body): try body.encode(to: &writer)
        case .storeAnswer(let body): try body.encode(to: &writer)
        case .fetchRequest(let body), .statRequest(let body): try body.encode(to: &writer)
        case .fetchAnswer(let body): try body.encode(to: &writer)
        case .findRequest(let body): try body.encode(to: &writer)
        case .findAnswer(let body): try body.encode(to: &writer)
        case .joinRequest(let body): try body.encode(to: &writer)
        case .joinAnswer(let body): try body.encode(to: &writer)
        case .leaveRequest(let body): try body.encode(to: &writer)
        case .leaveAnswer, .updateAnswer, .configUpdateAnswer: break
        case .updateRequest(let body): try body.encode(to: &writer)
        case .routeQueryRequest(let body): try body.encode(to: &writer)
        case .routeQueryAnswer(let body): try body.encode(to: &writer)
        case .pingRequest(let body): try body.encode(to: &writer)
        case .pingAnswer(let body): try body.encode(to: &writer)
        case .statAnswer(let body): try body.encode(to: &writer)
        case .appAttachRequest(let body), .appAttachAnswer(let body): try body.encode(to: &writer)
        case .configUpdateRequest(let body): try body.encode(to: &writer)
        case .error(let body): try body.encode(to: &writer)
        case .opaque(_, let bytes): writer.writeBytes(bytes)
        }
    }

    /// The body's size on the wire.
    func encodedLength() throws(WireError) -> Int {
        var writer = ByteWriter()
        try encode(to: &writer)
        return writer.count
    }
}
