/// What the HTTPS server did with connections (at a limit: drop and count). The
/// server logs the connections that ended without an answer as a summary of these, at most
/// once per housekeeping interval, not one line each (a flood must not flood the log).
public struct HTTPSServerCounters: Equatable, Sendable {
    public var accepted: UInt64 = 0
    /// Requests answered (including refusals and parse failures: each got an HTTP status).
    public var answered: UInt64 = 0
    /// Times accepting paused because every slot was taken by a young connection (the new
    /// clients waited in the kernel's backlog).
    public var pausedAtCapacity: UInt64 = 0
    /// Old unanswered connections closed to make room for a new one.
    public var evicted: UInt64 = 0
    /// TLS handshakes that failed (not TLS at all, bad records, unsupported parameters).
    public var handshakeFailures: UInt64 = 0
    /// Connections closed at the time limit before the handshake completed, or before a whole
    /// request arrived, or before the answer was taken.
    public var handshakeTimeouts: UInt64 = 0
    public var requestTimeouts: UInt64 = 0
    public var answerTimeouts: UInt64 = 0
    /// Connections the client closed (or reset) before it had an answer.
    public var closedByClient: UInt64 = 0
    /// Connections closed because a socket call failed or the client did not read its answer.
    public var transportFailures: UInt64 = 0

    public init() {}

    /// Why a connection ended early, for `count`.
    enum EndReason {
        case closedByClient, transportFailure
    }

    mutating func count(_ reason: EndReason) {
        switch reason {
        case .closedByClient: closedByClient += 1
        case .transportFailure: transportFailures += 1
        }
    }

    /// Connections that ended without an answer.
    public var unanswered: UInt64 {
        evicted + handshakeFailures + handshakeTimeouts + requestTimeouts + closedByClient
            + transportFailures
    }

    /// "3 handshake timeouts, 1 refused at capacity": the non-zero differences from `earlier`.
    public func differences(since earlier: HTTPSServerCounters) -> String {
        var parts: [String] = []
        func add(_ count: UInt64, _ before: UInt64, _ what: String) {
            if count > before { parts.append("\(count - before) \(what)") }
        }
        add(evicted, earlier.evicted, "evicted (oldest unanswered)")
        add(handshakeFailures, earlier.handshakeFailures, "TLS handshake failures")
        add(handshakeTimeouts, earlier.handshakeTimeouts, "handshake timeouts")
        add(requestTimeouts, earlier.requestTimeouts, "request timeouts")
        add(answerTimeouts, earlier.answerTimeouts, "answer not taken in time")
        add(closedByClient, earlier.closedByClient, "closed by the client before an answer")
        add(transportFailures, earlier.transportFailures, "socket failures")
        return parts.joined(separator: ", ")
    }
}
