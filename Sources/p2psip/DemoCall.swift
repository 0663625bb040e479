import Platform
import SIP
import Wire

/// One call between two DemoPhones through their peers: SIP's `SIPCall` with each phone's
/// datagrams on its socket, bounded in time.
struct DemoCall {
    let caller: DemoPhone
    let callee: DemoPhone
    var call: SIPCall
    var setupMilliseconds: UInt64? = nil

    static let callMilliseconds: UInt64 = 20_000

    init(from caller: DemoPhone, to callee: DemoPhone) {
        self.caller = caller
        self.callee = callee
        call = SIPCall(from: &caller.phone, to: callee.user)
    }

    /// Runs the whole call; returns nil when it completed, else what went wrong.
    mutating func run() -> String? {
        let started = Clock.monotonicNow()
        caller.send(call.invite)
        let deadline = started.adding(milliseconds: DemoCall.callMilliseconds)
        while !call.finished && call.failure == nil && Clock.monotonicNow() < deadline {
            var idle = true
            if let message = callee.poll() {
                idle = false
                for reply in call.calleeReceived(message, callee: callee.phone) { callee.send(reply) }
            }
            if let message = caller.poll() {
                idle = false
                for request in call.callerReceived(message, caller: &caller.phone) { caller.send(request) }
                if call.answered && setupMilliseconds == nil { setupMilliseconds = Clock.monotonicNow().milliseconds(since: started) }
            }
            if idle { ChildProcess.sleep(milliseconds: 1) }
        }
        if call.finished && !call.acknowledged { return "the callee never saw the ACK" }
        return call.failure ?? (call.finished ? nil : "no answer within \(DemoCall.callMilliseconds / 1000) s")
    }
}
