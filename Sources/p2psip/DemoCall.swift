import Platform
import SIP
import Wire

/// One call between two DemoPhones through their peers (RFC 3261 §13, §15, with the peers as
/// record-routing proxies): INVITE, 100, 180, 200, ACK and BYE along the route set, 200.
struct DemoCall {
    let caller: DemoPhone
    let callee: DemoPhone
    let callId: [UInt8]
    var invite: SIPMessage
    var started = Instant.zero
    var setupMilliseconds: UInt64? = nil
    var acknowledged = false
    var byeSent = false
    var finished = false
    var failure: String? = nil

    static let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    static let callMilliseconds: UInt64 = 20_000

    init(from caller: DemoPhone, to callee: DemoPhone) {
        self.caller = caller
        self.callee = callee
        callId = Array(("call-" + caller.next()).utf8)
        let target = SIPNameAddress(uri: SIPURI(user: Array(callee.user.utf8), host: caller.domain))
        invite = SIPMessage.request(
            method: .invite, uri: target.uri, via: caller.via(), from: caller.tagged(caller.addressOfRecord), to: target, callId: callId,
            sequence: 1)
        invite.contacts = [caller.contact]
        invite.otherHeaders.append(SIPHeaderField(name: Array("Content-Type".utf8), value: Array("application/sdp".utf8)))
        invite.body = Array(DemoCall.sdp.utf8)
    }

    /// Runs the whole call; returns nil when it completed, else what went wrong.
    mutating func run() -> String? {
        started = Clock.monotonicNow()
        caller.send(invite)
        let deadline = started.adding(milliseconds: DemoCall.callMilliseconds)
        while !finished && failure == nil && Clock.monotonicNow() < deadline {
            var idle = true
            if let message = callee.poll() {
                idle = false
                calleeReceived(message)
            }
            if let message = caller.poll() {
                idle = false
                callerReceived(message)
            }
            if idle { ChildProcess.sleep(milliseconds: 1) }
        }
        if finished && !acknowledged { return "the callee never saw the ACK" }
        return failure ?? (finished ? nil : "no answer within \(DemoCall.callMilliseconds / 1000) s")
    }

    /// The callee's phone rings and answers at once (RFC 3261 §12.1.1: the 2xx copies the
    /// Record-Route and carries our Contact), then takes the ACK and answers the BYE.
    mutating func calleeReceived(_ message: SIPMessage) {
        guard message.isRequest, message.callId == callId else { return }
        let tag = Array(("callee" + callee.user).utf8)
        switch message.method {
        case .invite?:
            for (status, reason) in [(180, "Ringing"), (200, "OK")] {
                var response = SIPMessage.response(to: message, statusCode: status, reason: Array(reason.utf8), toTag: tag)
                response.recordRoutes = message.recordRoutes
                response.contacts = [callee.contact]
                if status == 200 {
                    response.otherHeaders.append(SIPHeaderField(name: Array("Content-Type".utf8), value: Array("application/sdp".utf8)))
                    response.body = Array(DemoCall.sdp.utf8)
                }
                callee.send(response)
            }
        case .ack?:
            acknowledged = true
        case .bye?:
            callee.send(SIPMessage.response(to: message, statusCode: 200, reason: Array("OK".utf8), toTag: tag))
        default:
            break
        }
    }

    /// The caller's side: the 200 sets up the dialog (§12.1.2: route set = the Record-Route
    /// reversed, remote target = the Contact); ACK and BYE go along it.
    mutating func callerReceived(_ message: SIPMessage) {
        guard let status = message.statusCode, message.callId == callId else { return }
        if message.cseq.method == .bye {
            if status >= 200 { finished = true }
            return
        }
        guard message.cseq.method == .invite, status >= 200 else { return }
        guard status < 300, let target = message.contacts.first?.uri else {
            failure = "the call was answered \(status) \(message.reasonText)"
            return
        }
        if setupMilliseconds == nil { setupMilliseconds = Clock.monotonicNow().milliseconds(since: started) }
        let routes = Array(message.recordRoutes.reversed())
        var ack = SIPMessage.request(method: .ack, uri: target, via: caller.via(), from: invite.from, to: message.to, callId: callId, sequence: 1)
        ack.routes = routes
        caller.send(ack)
        guard !byeSent else { return }
        byeSent = true
        var bye = SIPMessage.request(method: .bye, uri: target, via: caller.via(), from: invite.from, to: message.to, callId: callId, sequence: 2)
        bye.routes = routes
        caller.send(bye)
    }
}

extension SIPMessage {
    var reasonText: String {
        if case .response(_, let reason) = startLine { return String(decoding: reason, as: UTF8.self) }
        return ""
    }
}
