import Config
import Crypto
import Platform
import Storage
import Wire

/// The checks of `p2psip selftest` that need more than one module.
enum SelftestChecks {
    enum Outcome {
        case passed(String)
        case failed(String)
        /// Only where the environment cannot offer the feature (e.g. no IPv6 loopback).
        case skipped(String)

        static func from(_ failure: String?, _ detail: String) -> Outcome {
            if let failure { return .failed(failure) }
            return .passed(detail)
        }
    }

    /// No check waits longer than this for the network or a timer.
    static let timeoutMilliseconds: UInt64 = 3000

    static func lmdb() -> Outcome {
        let directory: String
        do { directory = try FileSystem.makeTemporaryDirectory(prefix: "p2psip-selftest") } catch {
            return .failed(error.description)
        }
        defer { try? FileSystem.removeTree(directory) }
        let count = 200
        func key(_ index: Int) -> [UInt8] { Array("key-\(index)".utf8) }
        func value(_ index: Int) -> [UInt8] { [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1 + index % 97) }
        do throws(StorageError) {
            do {
                let environment = try LMDBEnvironment(directory: directory, mapSizeBytes: 1 << 20, maximumDatabases: 2, sync: .everyCommit)
                let database = try environment.openDatabase(named: "selftest")
                try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) in
                    for index in 0..<count { try transaction.put(value(index), for: key(index), in: database) }
                }
                // A transaction that fails leaves nothing behind.
                let aborted: Result<Void, StorageError> = Result { () throws(StorageError) in
                    try environment.write { (transaction: inout LMDBTransaction) throws(StorageError) in
                        try transaction.put([1], for: key(0), in: database)
                        throw StorageError.keyTooLarge(0)
                    }
                }
                if case .success = aborted { return .failed("failing transaction did not fail") }
            }
            let reopened = try LMDBEnvironment(directory: directory, mapSizeBytes: 1 << 20, maximumDatabases: 2, sync: .everyCommit)
            let database = try reopened.openDatabase(named: "selftest")
            let mismatch = try reopened.read { (transaction: inout LMDBTransaction) throws(StorageError) -> String? in
                if try transaction.count(in: database) != count { return "entry count after reopen" }
                for index in 0..<count where try transaction.get(key(index), in: database) != value(index) {
                    return "value of \(index) after reopen"
                }
                return nil
            }
            if let mismatch { return .failed(mismatch) }
        } catch {
            return .failed(error.description)
        }
        return .passed("\(count) records, reopened, aborted transaction left no trace")
    }

    static func udpRoundTrip(bind text: String, random: RandomGenerator) -> Outcome {
        guard let address = SocketAddress.parse(text) else { return .failed("bad address \(text)") }
        let first: UDPSocket
        let second: UDPSocket
        do {
            first = try UDPSocket(binding: address)
            second = try UDPSocket(binding: address)
        } catch {
            if address.isIPv6, case .system(_, let errno) = error, errno == 99 || errno == 97 {
                return .skipped("no IPv6 loopback on this host (\(error.description))")
            }
            return .failed(error.description)
        }
        let payload: [UInt8]
        do { payload = try random.bytes(1200) } catch { return .failed(error.description) }
        do throws(PlatformError) {
            let loop = EventLoop<Int>(maximumSources: 2, timerCapacity: 2)
            try loop.add(fileDescriptor: first.fileDescriptor, token: 1, interest: .read)
            try loop.add(fileDescriptor: second.fileDescriptor, token: 2, interest: .read)
            let secondAddress = try second.localAddress()
            _ = try first.send(payload, to: secondAddress)
            guard let (echo, from) = try receive(on: second, token: 2, loop: loop) else { return .failed("no datagram within \(timeoutMilliseconds) ms") }
            if echo != payload { return .failed("datagram changed in transit") }
            _ = try second.send(echo, to: from)
            guard let (back, _) = try receive(on: first, token: 1, loop: loop) else { return .failed("no echo within \(timeoutMilliseconds) ms") }
            if back != payload { return .failed("echo changed in transit") }
            return .passed("1200 bytes \(try first.localAddress().description) <-> \(secondAddress.description)")
        } catch {
            return .failed(error.description)
        }
    }

    /// Waits on the loop for `token` to be readable, then reads one datagram; nil on timeout.
    static func receive(on socket: UDPSocket, token: Int, loop: EventLoop<Int>) throws(PlatformError) -> ([UInt8], SocketAddress)? {
        let timeout = loop.schedule(afterMilliseconds: timeoutMilliseconds, -1)
        defer { if let timeout { loop.cancel(timeout) } }
        var events: [EventLoop<Int>.Event] = []
        var buffer = [UInt8](repeating: 0, count: UDPSocket.maximumDatagramBytes)
        for _ in 0..<64 {
            try loop.wait(into: &events, maximumWaitMilliseconds: Int(timeoutMilliseconds))
            for event in events {
                switch event {
                case .timer(-1): return nil
                case .readable(let ready) where ready == token:
                    if case .datagram(let count, let from) = try socket.receive(into: &buffer) {
                        return (Array(buffer[0..<count]), from)
                    }
                default: continue
                }
            }
        }
        return nil
    }

    /// Timers scheduled out of order fire in deadline order (ties in scheduling order), not
    /// before their deadline; a cancelled timer never fires; the loop sleeps in between.
    static func timerOrder() -> Outcome {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 16)
        let delays: [UInt64] = [40, 10, 25, 10, 0, 60, 25]
        let start = loop.now
        var deadlines: [Instant] = []
        var handles: [EventLoop<Int>.TimerHandle] = []
        for (index, delay) in delays.enumerated() {
            guard let handle = loop.schedule(afterMilliseconds: delay, index) else { return .failed("schedule refused") }
            handles.append(handle)
            deadlines.append(start.adding(milliseconds: delay))
        }
        loop.cancel(handles[5])
        let expected = [4, 1, 3, 2, 6, 0]
        var fired: [Int] = []
        var events: [EventLoop<Int>.Event] = []
        var wakeUps = 0
        while fired.count < expected.count && wakeUps < 100 {
            do { try loop.wait(into: &events, maximumWaitMilliseconds: Int(timeoutMilliseconds)) } catch { return .failed(error.description) }
            wakeUps += 1
            for case .timer(let index) in events {
                if loop.now < deadlines[index] { return .failed("timer \(index) fired before its deadline") }
                fired.append(index)
            }
        }
        if fired != expected { return .failed("fired \(fired), expected \(expected)") }
        let elapsed = loop.now.milliseconds(since: start)
        if elapsed < 40 { return .failed("all timers done after \(elapsed) ms, before the last deadline") }
        if wakeUps > 20 { return .failed("\(wakeUps) wake-ups for 6 timers: the loop spins instead of sleeping") }
        return .passed("6 timers in deadline order, 1 cancelled, \(wakeUps) wake-ups")
    }

    /// A full timer queue refuses more and counts it.
    static func timerQueueBound() -> Outcome {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 8)
        for index in 0..<8 where loop.schedule(afterMilliseconds: 1000, index) == nil {
            return .failed("refused below capacity")
        }
        if loop.schedule(afterMilliseconds: 1000, 8) != nil { return .failed("accepted past capacity") }
        if loop.droppedTimers != 1 { return .failed("drop not counted") }
        return .passed("capacity 8: 9th refused and counted")
    }

    /// SIGHUP reaches the loop as a `.reload` event (signalfd), with no handler code.
    static func hangupSignal() -> Outcome {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 2)
        do { try loop.watchSignals() } catch { return .failed(error.description) }
        if !ProcessControl.signalSelf(.hangup) { return .failed("raise(SIGHUP) failed") }
        var events: [EventLoop<Int>.Event] = []
        for _ in 0..<8 {
            do { try loop.wait(into: &events, maximumWaitMilliseconds: Int(timeoutMilliseconds)) } catch { return .failed(error.description) }
            for case .signal(let signal) in events where signal == .reload {
                return .passed("SIGHUP -> reload event")
            }
        }
        return .failed("no signal event")
    }

    static func builtinBoardConfigs() -> Outcome {
        var names: [String] = []
        for board in BuiltinBoardConfigs.all {
            if case .failure(let error) = BoardConfig.parse(Array(board.text.utf8), fileName: board.name) {
                return .failed(error.description)
            }
            names.append(board.name)
        }
        if names.count < 4 { return .failed("only \(names.count) built-in boards") }
        return .passed("\(names.count) boards parse")
    }

    static func boardConfigFiles(in directory: String) -> Outcome {
        do {
            var parsed = 0
            for name in try FileSystem.listDirectory(directory, maximumEntries: 256) where name.hasSuffix(".conf") {
                let path = directory + "/" + name
                let text = try FileSystem.readFile(path, maximumBytes: KeyValueFile.maximumFileBytes)
                if case .failure(let error) = BoardConfig.parse(text, fileName: path) { return .failed(error.description) }
                parsed += 1
            }
            if parsed == 0 { return .failed("no .conf file in \(directory)") }
            return .passed("\(parsed) files in \(directory) parse")
        } catch {
            return .failed(error.description)
        }
    }

    /// Bad files are refused with the right line and key.
    static func boardConfigErrors() -> Outcome {
        let cases: [(text: String, line: Int, key: String, reason: BoardConfigError.Reason)] = [
            ("fingers = 16\nfingers = 300\n", 2, "fingers", .duplicateKey),
            ("# comment\nfingers = 300\n", 2, "fingers", .invalidValue),
            ("\n\nfinger = 16\n", 3, "finger", .unknownKey),
            ("successors = 3\nreplication-factor = 5\n", 2, "replication-factor", .inconsistent),
            ("data-dir = relative/path\n", 1, "data-dir", .invalidValue),
            ("just words\n", 1, "", .syntax),
        ]
        for (text, line, key, reason) in cases {
            switch BoardConfig.parse(Array(text.utf8), fileName: "bad.conf") {
            case .success:
                return .failed("accepted: \(text)")
            case .failure(let error):
                if error.line != line || error.key != key || error.reason != reason {
                    return .failed("wrong error for \(text): \(error.description)")
                }
            }
        }
        return .passed("\(cases.count) bad files refused with line and key")
    }
}
