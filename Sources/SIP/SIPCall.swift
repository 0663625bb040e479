/// One call between two `SIPPhone`s through their peers (RFC 3261 §13, §15, with the peers
/// as record-routing proxies): INVITE, 180, 200, ACK and BYE along the route set, 200. The
/// callee answers at once. No I/O: each step returns what each phone sends.
public struct SIPCall {
    public let callId: [UInt8]
    public private(set) var invite: SIPMessage
    public private(set) var answered = false
    public private(set) var acknowledged = false
    public private(set) var finished = false
    public private(set) var failure: String? = nil
    /// The final status of an INVITE that was refused (3xx-6xx).
    public private(set) var refusedStatus: Int? = nil
    var byeSent = false

    public static let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"

    /// The INVITE from `caller` to the user of `calleeUser` in the caller's domain.
    public init(from caller: inout SIPPhone, to calleeUser: String) {
        callId = Array(("call-" + caller.next()).utf8)
        let target = SIPNameAddress(uri: SIPURI(user: Array(calleeUser.utf8), host: caller.domain))
        invite = SIPMessage.request(
            method: .invite, uri: target.uri, via: caller.via(), from: caller.tagged(caller.addressOfRecord), to: target, callId: callId,
            sequence: 1)
        invite.contacts = [caller.contact]
        invite.otherHeaders.append(SIPHeaderField(name: Array("Content-Type".utf8), value: Array("application/sdp".utf8)))
        invite.body = Array(SIPCall.sdp.utf8)
    }

    /// The callee's phone rings and answers at once (§12.1.1: the 2xx copies the
    /// Record-Route and carries the callee's Contact), then takes the ACK and answers the BYE.
    /// Returns what the callee sends.
    public mutating func calleeReceived(_ message: SIPMessage, callee: SIPPhone) -> [SIPMessage] {
        guard message.isRequest, message.callId == callId else { return [] }
        let tag = Array(("callee" + callee.user).utf8)
        switch message.method {
        case .invite?:
            var responses: [SIPMessage] = []
            for (status, reason) in [(180, "Ringing"), (200, "OK")] {
                var response = SIPMessage.response(to: message, statusCode: status, reason: Array(reason.utf8), toTag: tag)
                response.recordRoutes = message.recordRoutes
                response.contacts = [callee.contact]
                if status == 200 {
                    response.otherHeaders.append(SIPHeaderField(name: Array("Content-Type".utf8), value: Array("application/sdp".utf8)))
                    response.body = Array(SIPCall.sdp.utf8)
                }
                responses.append(response)
            }
            return responses
        case .ack?:
            acknowledged = true
            return []
        case .bye?:
            return [SIPMessage.response(to: message, statusCode: 200, reason: Array("OK".utf8), toTag: tag)]
        default:
            return []
        }
    }

    /// The caller's side: the 200 sets up the dialog (§12.1.2: route set = the Record-Route
    /// reversed, remote target = the Contact); ACK and BYE go along it. Returns what the
    /// caller sends.
    public mutating func callerReceived(_ message: SIPMessage, caller: inout SIPPhone) -> [SIPMessage] {
        guard let status = message.statusCode, message.callId == callId else { return [] }
        if message.cseq.method == .bye {
            if status >= 200 { finished = true }
            return []
        }
        guard message.cseq.method == .invite, status >= 200 else { return [] }
        guard status < 300, let target = message.contacts.first?.uri else {
            failure = "the call was answered \(status) \(message.reasonText)"
            refusedStatus = status
            return []
        }
        answered = true
        let routes = Array(message.recordRoutes.reversed())
        var ack = SIPMessage.request(method: .ack, uri: target, via: caller.via(), from: invite.from, to: message.to, callId: callId, sequence: 1)
        ack.routes = routes
        guard !byeSent else { return [ack] }
        byeSent = true
        var bye = SIPMessage.request(method: .bye, uri: target, via: caller.via(), from: invite.from, to: message.to, callId: callId, sequence: 2)
        bye.routes = routes
        return [ack, bye]
    }
}

extension SIPMessage {
    /// The reason phrase of a response ("" for a request).
    public var reasonText: String {
        if case .response(_, let reason) = startLine { return String(decoding: reason, as: UTF8.self) }
        return ""
    }
}
