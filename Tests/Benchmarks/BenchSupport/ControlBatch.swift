import Foundation

/// One control connection in batch mode (the peer's ControlServer): lines `ID WORDS`, answers
/// `ID<TAB>STATUS<TAB>...` in any order.
public final class ControlBatch {
    let descriptor: Int32
    var received: [UInt8] = []
    var nextId = 1
    /// Why requests failed: answer text → count.
    public var failures: [String: Int] = [:]

    public init(path: String) throws {
        descriptor = connectControl(path)
        guard descriptor >= 0 else { throw BenchFailure("cannot connect to \(path)") }
        try send("batch\n")
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        guard writeAll(descriptor, text) else { throw BenchFailure("control socket write failed") }
    }

    /// Sends `requests` with at most `inFlight` under way; the latency of each answered one
    /// (ms), how many failed, and the wall time (s). `stop` is asked between reads: true ends
    /// the run early (what is still under way is neither counted nor waited for).
    public func run(
        _ requests: [String], inFlight: Int, timeoutSeconds: Double = 600, stop: () -> Bool = { false }
    ) throws -> (latencies: [Double], failed: Int, seconds: Double) {
        var started: [Int: UInt64] = [:]
        var latencies: [Double] = []
        var failed = 0
        var next = 0
        let begin = DispatchTime.now().uptimeNanoseconds
        while (next < requests.count || !started.isEmpty) && !stop() {
            while started.count < inFlight && next < requests.count {
                let id = nextId
                nextId += 1
                started[id] = DispatchTime.now().uptimeNanoseconds
                try send("\(id) \(requests[next])\n")
                next += 1
            }
            try readAvailable(milliseconds: 100)
            let now = DispatchTime.now().uptimeNanoseconds
            while let (id, status, text) = nextAnswer() {
                guard let start = started.removeValue(forKey: id) else { continue }
                if status == "0" {
                    latencies.append(Double(now - start) / 1e6)
                } else {
                    failed += 1
                    failures[text.isEmpty ? "status \(status)" : String(text.prefix(120)), default: 0] += 1
                }
            }
            if Double(now - begin) / 1e9 > timeoutSeconds { throw BenchFailure("no end after \(timeoutSeconds) s") }
        }
        return (latencies, failed, Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
    }

    /// One request and its answer within `seconds`: the status (nil without an answer in
    /// time), the answer's text and the latency in ms. A late answer is dropped by the next call.
    public func one(_ request: String, seconds: Double) throws -> (status: Int?, text: String, milliseconds: Double) {
        let id = nextId
        nextId += 1
        let begin = DispatchTime.now().uptimeNanoseconds
        try send("\(id) \(request)\n")
        while Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9 < seconds {
            try readAvailable(milliseconds: 50)
            while let (answerId, status, text) = nextAnswer() {
                if answerId == id { return (Int(status), text, Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6) }
            }
        }
        return (nil, "no answer within \(seconds) s", seconds * 1000)
    }

    func readAvailable(milliseconds: Int32) throws {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) >= 0 else { throw BenchFailure("poll failed") }
        guard poller.revents != 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { throw BenchFailure("the peer closed the control connection") }
        received += buffer[0..<count]
    }

    /// The next whole answer line received: its id, status and the rest (lines of a
    /// multi-line answer are joined by tabs by the server).
    func nextAnswer() -> (Int, Substring, String)? {
        while let end = received.firstIndex(of: 0x0A) {
            let fields = String(decoding: received[0..<end], as: UTF8.self).split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            received.removeFirst(end + 1)
            guard fields.count >= 2, let id = Int(fields[0]) else { continue }
            return (id, fields[1], fields.count > 2 ? String(fields[2]) : "")
        }
        return nil
    }
}
