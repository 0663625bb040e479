import Peer
import Platform
import Wire

/// The peer's local control interface: a Unix socket (mode 0600, owner only) on which
/// `p2psip status`, `ping`, `put` and the like send one request line and read the answer:
/// a first line with the exit status (0, 1 or 2), then the output, then the server closes.
///
/// Batch mode (`p2psip batch`): a connection whose first line is `batch` then sends lines
/// `ID WORDS...` (ID: the client's decimal number for the request) and gets, as each request
/// ends, in any order, one line `ID<TAB>STATUS<TAB>LINE<TAB>LINE...` (control characters in
/// the output become spaces). At most `maximumBatchInFlight` requests of a connection are
/// under way: further lines wait in the socket. The server closes once the client has shut
/// its side and every request is answered, or after `batchIdleMilliseconds` of nothing.
///
/// Bounded: connections, request line size, time to send the request, requests in flight.
final class ControlServer {
    struct Connection {
        let stream: StreamConnection
        var received: [UInt8] = []
        var pendingOutput: [UInt8] = []
        var answered = false
        var deadline: Instant
        var batch = false
        var inFlight = 0
        /// The client shut its side (batch): close once everything is answered.
        var inputClosed = false
        /// Taken off the event loop while `maximumBatchInFlight` requests are under way.
        var paused = false
    }

    struct Request {
        /// The token to answer (a connection's, or a batch request's).
        let connection: Int
        let words: [String]
    }

    static let maximumConnections = 8
    /// One request line (the core's limit).
    static let maximumRequestBytes = ControlLimits.maximumRequestBytes
    static let requestTimeoutMilliseconds: UInt64 = 10_000
    /// Requests of one batch connection under way at once.
    static let maximumBatchInFlight = 64
    static let batchIdleMilliseconds: UInt64 = 60_000
    /// Event loop tokens: the listener, then one per connection slot.
    static let listenerToken = 1_000_000
    /// Batch requests are answered to tokens below this (never event loop tokens).
    static let firstBatchToken = -2

    let listener: StreamListener
    var connections: [Int: Connection] = [:]
    var nextConnection = ControlServer.listenerToken + 1
    /// Batch request token → (connection, the client's ID).
    var batchRequests: [Int: (connection: Int, id: String)] = [:]
    var nextBatchToken = ControlServer.firstBatchToken

    init(path: String) throws(PlatformError) {
        listener = try StreamListener(unixPath: path, mode: 0o600, backlog: 8)
    }

    func register<T>(in loop: EventLoop<T>) throws(PlatformError) {
        try loop.add(fileDescriptor: listener.fileDescriptor, token: ControlServer.listenerToken, interest: .read)
    }

    /// Accepts waiting connections (beyond the bound they are closed at once).
    func accept<T>(into loop: EventLoop<T>, now: Instant) {
        while let stream = try? listener.accept() {
            guard connections.count < ControlServer.maximumConnections else { continue }
            let token = nextConnection
            nextConnection += 1
            guard (try? loop.add(fileDescriptor: stream.fileDescriptor, token: token, interest: .read)) != nil else { continue }
            connections[token] = Connection(stream: stream, deadline: now.adding(milliseconds: ControlServer.requestTimeoutMilliseconds))
        }
    }

    /// Whatever the connection is ready for: writes pending output, reads, and returns the
    /// requests that are complete and may start.
    func service<T>(_ token: Int, loop: EventLoop<T>, now: Instant) -> [Request] {
        guard connections[token] != nil else { return [] }
        if !(connections[token]?.pendingOutput.isEmpty ?? true) {
            flush(token, loop: loop)
            guard connections[token] != nil else { return [] }
        }
        guard let connection = connections[token], !connection.answered || connection.batch else { return [] }
        if !connection.inputClosed && connection.inFlight < ControlServer.maximumBatchInFlight {
            guard receive(token, loop: loop) else { return [] }
        }
        return connections[token]?.batch == true ? batchLines(token, loop: loop, now: now) : firstLine(token, loop: loop, now: now)
    }

    /// Reads what the socket has; false when the connection is gone.
    func receive<T>(_ token: Int, loop: EventLoop<T>) -> Bool {
        guard var connection = connections[token] else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        switch (try? connection.stream.read(into: &buffer)) ?? .closed {
        case .bytes(let count): connection.received += buffer[0..<count]
        case .wouldBlock: break
        case .closed:
            guard connection.batch else {
                drop(token, loop: loop)
                return false
            }
            connection.inputClosed = true
        }
        connections[token] = connection
        return true
    }

    /// A plain connection's one request, or the switch to batch mode.
    func firstLine<T>(_ token: Int, loop: EventLoop<T>, now: Instant) -> [Request] {
        guard let connection = connections[token] else { return [] }
        guard let end = connection.received.firstIndex(of: 0x0A) else {
            if connection.received.count > ControlServer.maximumRequestBytes {
                answer(token, status: 2, lines: ["request longer than \(ControlServer.maximumRequestBytes) bytes"], loop: loop)
            }
            return []
        }
        let words = ControlServer.words(connection.received[0..<end])
        connections[token]?.received.removeFirst(end + 1)
        if words == ["batch"] {
            connections[token]?.batch = true
            return batchLines(token, loop: loop, now: now)
        }
        connections[token]?.answered = true
        return [Request(connection: token, words: words)]
    }

    /// The complete lines of a batch connection, as many as may start.
    func batchLines<T>(_ token: Int, loop: EventLoop<T>, now: Instant) -> [Request] {
        var requests: [Request] = []
        while var connection = connections[token], connection.inFlight < ControlServer.maximumBatchInFlight,
            let end = connection.received.firstIndex(of: 0x0A)
        {
            var words = ControlServer.words(connection.received[0..<end])
            connection.received.removeFirst(end + 1)
            connection.inFlight += 1
            connection.deadline = now.adding(milliseconds: ControlServer.batchIdleMilliseconds)
            connections[token] = connection
            let id = words.isEmpty ? "-" : words.removeFirst()
            let requestToken = nextBatchToken
            nextBatchToken = nextBatchToken > Int(Int32.min) + 1 ? nextBatchToken - 1 : ControlServer.firstBatchToken
            batchRequests[requestToken] = (token, id)
            requests.append(Request(connection: requestToken, words: words))
        }
        if let connection = connections[token], connection.received.count > ControlServer.maximumRequestBytes,
            connection.received.firstIndex(of: 0x0A) == nil
        {
            drop(token, loop: loop)  // a line longer than any request: not a client of ours
            return requests
        }
        updateInterest(token, loop: loop)
        return requests
    }

    static func words(_ line: ArraySlice<UInt8>) -> [String] {
        return String(decoding: line, as: UTF8.self).split(separator: " ").map { String($0) }
    }

    /// Sends the answer: on a plain connection, then closes once it is written; for a batch
    /// request, as one line on its connection.
    func answer<T>(_ token: Int, status: Int32, lines: [String], loop: EventLoop<T>) {
        if let (connection, id) = batchRequests.removeValue(forKey: token) {
            guard connections[connection] != nil else { return }
            var text = id + "\t\(status)"
            for line in lines { text += "\t" + ControlServer.oneLine(line) }
            connections[connection]?.pendingOutput += Array((text + "\n").utf8)
            connections[connection]?.inFlight -= 1
            flush(connection, loop: loop)
            return
        }
        guard connections[token] != nil else { return }
        var text = "\(status)\n"
        for line in lines { text += line + "\n" }
        connections[token]?.answered = true
        connections[token]?.pendingOutput = Array(text.utf8)
        flush(token, loop: loop)
    }

    /// Control characters (a tab, a line feed from a peer's error text) become spaces.
    static func oneLine(_ text: String) -> String {
        return String(decoding: text.utf8.map { $0 < 0x20 || $0 == 0x7F ? 0x20 : $0 }, as: UTF8.self)
    }

    /// Writes what the socket takes; a plain connection closes when its answer is written, a
    /// batch one when its client is done and everything is answered.
    func flush<T>(_ token: Int, loop: EventLoop<T>) {
        guard let connection = connections[token] else { return }
        let written = (try? connection.stream.write(connection.pendingOutput[...])) ?? -1
        if written < 0 {
            drop(token, loop: loop)
            return
        }
        connections[token]?.pendingOutput.removeFirst(written)
        let done = connections[token]?.pendingOutput.isEmpty == true
        if done && (!connection.batch || (connection.inputClosed && connection.inFlight == 0 && !hasLine(connection))) {
            drop(token, loop: loop)
            return
        }
        updateInterest(token, loop: loop)
    }

    func hasLine(_ connection: Connection) -> Bool { connection.received.contains(0x0A) }

    /// Read while requests may start, write while output waits; off the loop when neither
    /// (a batch at its limit with everything written), back when an answer frees a slot.
    func updateInterest<T>(_ token: Int, loop: EventLoop<T>) {
        guard let connection = connections[token] else { return }
        let wantsOutput = !connection.pendingOutput.isEmpty
        let mayRead = connection.inFlight < ControlServer.maximumBatchInFlight && !connection.inputClosed
            && (connection.batch || !connection.answered)
        let hasWaitingLine = connection.inFlight < ControlServer.maximumBatchInFlight && hasLine(connection)
        let interest: EventLoop<T>.Interest? =
            wantsOutput || hasWaitingLine ? (mayRead ? .readWrite : .write) : (mayRead ? .read : nil)
        guard let interest else {
            if !connection.paused {
                loop.remove(token: token)
                connections[token]?.paused = true
            }
            return
        }
        if connection.paused {
            guard (try? loop.add(fileDescriptor: connection.stream.fileDescriptor, token: token, interest: interest)) != nil else {
                connections[token] = nil
                return
            }
            connections[token]?.paused = false
        } else {
            loop.setInterest(token: token, interest)
        }
    }

    func drop<T>(_ token: Int, loop: EventLoop<T>) {
        if connections[token]?.paused != true { loop.remove(token: token) }
        connections[token] = nil
    }

    /// Closes connections that did not send a request in time, and idle batch connections.
    func expire<T>(now: Instant, loop: EventLoop<T>) {
        for (token, connection) in connections where connection.deadline <= now {
            if !connection.answered && !connection.batch { drop(token, loop: loop) }
            if connection.batch && connection.inFlight == 0 { drop(token, loop: loop) }
        }
    }

    func owns(_ token: Int) -> Bool { connections[token] != nil }
}
