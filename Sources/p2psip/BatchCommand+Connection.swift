import Platform
import Wire

// The client side of the control socket's batch mode: one connection, `batch` then one line
// per request with its number, at most `inFlight` under way, answers read as they come.
extension BatchCommand {
    struct Exchange {
        var output: [UInt8] = Array("batch\n".utf8)
        var received: [UInt8] = []
        var underWay: [Int: Int] = [:]
        var next = 0
        var shutDown = false
        var lastProgress: Instant
    }

    static func send(_ lines: [Line], path: String, inFlight: Int) throws(CommandFailure) -> Outcome {
        let stream: StreamConnection
        do throws(PlatformError) {
            stream = try StreamConnection.connect(unixPath: path)
        } catch {
            throw .failed("cannot reach the peer's control socket \(path): \(error.description) (is `p2psip peer` running?)")
        }
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        do throws(PlatformError) {
            try loop.add(fileDescriptor: stream.fileDescriptor, token: 1, interest: .readWrite)
        } catch {
            throw .failed("control socket: \(error.description)")
        }
        var signer = try ClientSigner()
        var outcome = Outcome()
        var exchange = Exchange(lastProgress: Clock.monotonicNow())
        var events: [EventLoop<Int>.Event] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while exchange.next < lines.count || !exchange.underWay.isEmpty {
            queue(lines, &exchange, inFlight: inFlight, &signer, &outcome)
            if exchange.next == lines.count && exchange.underWay.isEmpty { break }
            if exchange.next == lines.count && exchange.output.isEmpty && !exchange.shutDown {
                stream.shutdownWrite()
                exchange.shutDown = true
            }
            loop.setInterest(token: 1, exchange.output.isEmpty ? .read : .readWrite)
            guard (try? loop.wait(into: &events, maximumWaitMilliseconds: 1000)) != nil else { throw .failed("control socket: wait failed") }
            if !exchange.output.isEmpty, let written = try? stream.write(exchange.output[...]) { exchange.output.removeFirst(written) }
            switch (try? stream.read(into: &buffer)) ?? .closed {
            case .bytes(let count):
                exchange.received += buffer[0..<count]
                answers(&exchange, lines: lines, &outcome)
            case .wouldBlock:
                break
            case .closed:
                for (_, number) in exchange.underWay { report(number, 1, "the peer closed the control connection", &outcome) }
                exchange.underWay = [:]
                exchange.next = lines.count
            }
            if Clock.monotonicNow().milliseconds(since: exchange.lastProgress) > stallMilliseconds {
                throw .failed("no answer from the peer for \(stallMilliseconds / 1000) s (\(exchange.underWay.count) requests under way)")
            }
        }
        return outcome
    }

    /// Prepares and queues lines while fewer than `inFlight` are under way.
    static func queue(_ lines: [Line], _ exchange: inout Exchange, inFlight: Int, _ signer: inout ClientSigner, _ outcome: inout Outcome) {
        while exchange.underWay.count < inFlight && exchange.next < lines.count {
            let line = lines[exchange.next]
            exchange.next += 1
            switch prepare(line, signer: &signer) {
            case .failure(.usage(let text)):
                report(line.number, 2, text, &outcome)
            case .failure(.failed(let text)):
                report(line.number, 1, text, &outcome)
            case .success(let words):
                exchange.output += Array(("\(line.number) " + words.joined(separator: " ") + "\n").utf8)
                exchange.underWay[line.number] = line.number
            }
        }
    }

    /// The complete answer lines: `ID<TAB>STATUS<TAB>...`.
    static func answers(_ exchange: inout Exchange, lines: [Line], _ outcome: inout Outcome) {
        while let end = exchange.received.firstIndex(of: 0x0A) {
            let text = String(decoding: exchange.received[0..<end], as: UTF8.self)
            exchange.received.removeFirst(end + 1)
            let fields = text.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map { String($0) }
            guard fields.count >= 2, let number = Int(fields[0]), exchange.underWay.removeValue(forKey: number) != nil,
                let status = Int32(fields[1])
            else { continue }
            exchange.lastProgress = Clock.monotonicNow()
            report(number, status, fields.count > 2 ? fields[2] : "", &outcome)
        }
    }
}
