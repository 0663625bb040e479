import Platform
import Wire

/// The client side of the control socket, for `p2psip status`, `ping` and `route-query`:
/// sends one line, reads the answer until the server closes, within a bounded time.
enum ControlClient {
    static let timeoutMilliseconds: UInt64 = 20_000
    static let maximumAnswerBytes = 1 << 20

    /// Returns the exit status and the output lines, or an error message.
    static func request(_ line: String, path: String) -> (status: Int32, lines: [String]) {
        let stream: StreamConnection
        do {
            stream = try StreamConnection.connect(unixPath: path)
        } catch {
            return (1, ["cannot reach the peer's control socket \(path): \(error.description) (is `p2psip peer` running?)"])
        }
        let request = Array((line + "\n").utf8)
        var sent = 0
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        guard (try? loop.add(fileDescriptor: stream.fileDescriptor, token: 1, interest: .readWrite)) != nil else {
            return (1, ["control socket: cannot watch the connection"])
        }
        _ = loop.schedule(afterMilliseconds: timeoutMilliseconds, 0)
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var events: [EventLoop<Int>.Event] = []
        while true {
            guard (try? loop.wait(into: &events, maximumWaitMilliseconds: Int(timeoutMilliseconds))) != nil else { break }
            if events.contains(where: { if case .timer = $0 { return true } else { return false } }) {
                return (1, ["no answer from the peer within \(timeoutMilliseconds / 1000) s"])
            }
            if sent < request.count, let written = try? stream.write(request[sent...]) {
                sent += written
                if sent == request.count { loop.setInterest(token: 1, .read) }
            }
            switch (try? stream.read(into: &buffer)) ?? .closed {
            case .bytes(let count):
                answer += buffer[0..<count]
                if answer.count > maximumAnswerBytes { return (1, ["answer too large"]) }
            case .wouldBlock: continue
            case .closed: return parse(answer)
            }
        }
        return (1, ["control socket: wait failed"])
    }

    static func parse(_ answer: [UInt8]) -> (status: Int32, lines: [String]) {
        var lines = String(decoding: answer, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, let status = Int32(first) else { return (1, ["malformed answer from the peer"]) }
        return (status, Array(lines.dropFirst()))
    }
}
