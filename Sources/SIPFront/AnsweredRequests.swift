import SIP
import Wire

/// Requests the front answered itself (REGISTER, OPTIONS, errors), kept for Timer J
/// (64*T1, RFC 3261 §17.2.2) so that a retransmitted request gets the same response instead
/// of being processed again (a REGISTER with the same Call-ID and CSeq would otherwise fail
/// §10.3 step 7). At the capacity the oldest answer is forgotten.
struct AnsweredRequests {
    struct Entry {
        let hop: SIPHop
        let branch: [UInt8]
        let method: SIPMethod
        let response: [UInt8]
        let expiresAt: WallTime
    }

    let capacity: Int
    private(set) var entries: [Entry] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    mutating func remember(hop: SIPHop, branch: [UInt8], method: SIPMethod, response: [UInt8], now: WallTime) {
        entries.removeAll { $0.hop == hop && $0.branch == branch && $0.method == method }
        if entries.count >= capacity { entries.removeFirst() }
        entries.append(Entry(hop: hop, branch: branch, method: method, response: response, expiresAt: now.adding(seconds: SIPFrontLimits.transactionSeconds)))
        precondition(entries.count <= capacity)
    }

    func response(hop: SIPHop, branch: [UInt8], method: SIPMethod, now: WallTime) -> [UInt8]? {
        return entries.first { $0.hop == hop && $0.branch == branch && $0.method == method && $0.expiresAt > now }?.response
    }

    mutating func expire(now: WallTime) {
        entries.removeAll { $0.expiresAt <= now }
    }

    var nextExpiry: WallTime? { entries.first?.expiresAt }
}
