import Platform
import Wire

/// The peer's local control interface: a Unix socket (mode 0600, owner only) on which
/// `p2psip status`, `ping` and `route-query` send one request line and read the answer:
/// a first line with the exit status (0, 1 or 2), then the output, then the server closes.
/// Bounded: connections, request size, time to send the request.
final class ControlServer {
    struct Connection {
        let stream: StreamConnection
        var received: [UInt8] = []
        var pendingOutput: [UInt8] = []
        var answered = false
        let deadline: Instant
    }

    struct Request {
        let connection: Int
        let words: [String]
    }

    static let maximumConnections = 8
    /// A put-signed request carries a certificate and a signed value in hex.
    static let maximumRequestBytes = 16_384
    static let requestTimeoutMilliseconds: UInt64 = 10_000
    /// Event loop tokens: the listener, then one per connection slot.
    static let listenerToken = 1_000_000

    let listener: StreamListener
    var connections: [Int: Connection] = [:]
    var nextConnection = ControlServer.listenerToken + 1

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

    /// Reads from a connection; returns its request once a whole line arrived.
    func read<T>(_ token: Int, loop: EventLoop<T>) -> Request? {
        guard var connection = connections[token], !connection.answered else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1024)
        switch (try? connection.stream.read(into: &buffer)) ?? .closed {
        case .bytes(let count): connection.received += buffer[0..<count]
        case .wouldBlock: return nil
        case .closed:
            drop(token, loop: loop)
            return nil
        }
        if connection.received.count > ControlServer.maximumRequestBytes {
            connections[token] = connection
            answer(token, status: 2, lines: ["request longer than \(ControlServer.maximumRequestBytes) bytes"], loop: loop)
            return nil
        }
        connections[token] = connection
        guard let end = connection.received.firstIndex(of: 0x0A) else { return nil }
        connections[token]?.answered = true
        let line = String(decoding: connection.received[0..<end], as: UTF8.self)
        return Request(connection: token, words: line.split(separator: " ").map { String($0) })
    }

    /// Sends the answer and closes once it is written.
    func answer<T>(_ token: Int, status: Int32, lines: [String], loop: EventLoop<T>) {
        guard connections[token] != nil else { return }
        var text = "\(status)\n"
        for line in lines { text += line + "\n" }
        connections[token]?.answered = true
        connections[token]?.pendingOutput = Array(text.utf8)
        flush(token, loop: loop)
    }

    /// Writes what the socket takes; closes when done, or waits for it to be writable.
    func flush<T>(_ token: Int, loop: EventLoop<T>) {
        guard let connection = connections[token] else { return }
        let written = (try? connection.stream.write(connection.pendingOutput[...])) ?? -1
        if written < 0 || written == connection.pendingOutput.count {
            drop(token, loop: loop)
            return
        }
        connections[token]?.pendingOutput.removeFirst(written)
        loop.setInterest(token: token, .write)
    }

    func drop<T>(_ token: Int, loop: EventLoop<T>) {
        loop.remove(token: token)
        connections[token] = nil
    }

    /// Closes connections that did not send a request in time.
    func expire<T>(now: Instant, loop: EventLoop<T>) {
        for (token, connection) in connections where connection.deadline <= now && !connection.answered {
            drop(token, loop: loop)
        }
    }

    func owns(_ token: Int) -> Bool { connections[token] != nil }
}
