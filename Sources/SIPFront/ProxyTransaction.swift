import Reload
import SIP
import Wire

/// A request we forward (or are about to, after a lookup), RFC 3261 §16: the response
/// context of a stateful proxy with one branch (we do not fork). It maps responses carrying
/// our Via branch back to the previous hop, lets a CANCEL find its INVITE (§16.10), and
/// absorbs retransmissions of the request (§17.2).
struct ProxyTransaction {
    enum State: Equatable {
        /// Waiting for the Fetch of the AOR (RFC 7904 §4.2); `dereferences` counted so far.
        case lookingUp(AddressOfRecord, dereferences: Int)
        case forwarded
        /// A final response went upstream; kept until the deadline for retransmissions.
        case completed
    }

    /// Also the lookup id.
    let id: UInt32
    let upstream: SIPHop
    let upstreamBranch: [UInt8]
    let ourBranch: [UInt8]
    /// The request as received (top Via marked with received/rport).
    let request: SIPMessage
    /// The Request-URI to forward with (a lookup may retarget it, RFC 7904 §4.2 step 2).
    var target: SIPURI
    var forwarded: SIPMessage?
    var downstream: SIPHop?
    var state: State
    var provisionalReceived = false
    /// A CANCEL came before any provisional response: send it when one arrives (§9.1).
    var cancelPending = false
    /// The last response sent upstream (sent again on a retransmitted request).
    var lastUpstreamResponse: [UInt8]?
    var deadline: WallTime

    var method: SIPMethod { request.cseq.method }
}

/// The proxy transactions, at most `capacity`; linear search (a board holds tens of calls).
struct ProxyTransactionTable {
    let capacity: Int
    private(set) var entries: [ProxyTransaction] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var isFull: Bool { entries.count >= capacity }

    mutating func insert(_ transaction: ProxyTransaction) {
        precondition(!isFull, "checked with isFull before")
        precondition(!entries.contains { $0.ourBranch == transaction.ourBranch }, "our branches are unique")
        entries.append(transaction)
    }

    func index(id: UInt32) -> Int? { entries.firstIndex { $0.id == id } }

    func index(ourBranch: [UInt8]) -> Int? { entries.firstIndex { $0.ourBranch == ourBranch } }

    /// The server side of the transaction (RFC 3261 §17.2.3: the top Via's branch and
    /// sent-by, and the method, except that an ACK or CANCEL matches its INVITE).
    func index(upstream: SIPHop, branch: [UInt8], method: SIPMethod) -> Int? {
        entries.firstIndex { $0.upstream == upstream && $0.upstreamBranch == branch && $0.method == method }
    }

    subscript(index: Int) -> ProxyTransaction {
        get { entries[index] }
        set { entries[index] = newValue }
    }

    var indices: Range<Int> { entries.indices }

    mutating func remove(at index: Int) { entries.remove(at: index) }

    var nextDeadline: WallTime? { entries.map { $0.deadline }.min() }
}
