import Foundation

/// What a program that ran to its end left: its exit status and what it wrote.
public struct ProcessOutput: Sendable {
    public var status: Int32
    /// Standard output as written (with `.merged`, standard error interleaved in it).
    public var data: Data
    /// Standard error (empty unless `.separate`).
    public var error: String

    public init(status: Int32, data: Data, error: String) {
        self.status = status
        self.data = data
        self.error = error
    }

    public var output: String { String(decoding: data, as: UTF8.self) }
}

/// A child that could not be run, ran over its time, or (`require`) failed.
public struct ProcessFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Where a child's standard output and standard error go.
public enum ChildOutput: Sendable {
    /// Both collected, apart.
    case separate
    /// Both into one collected stream, interleaved as written: for tools that print part of
    /// their answer on standard error (`openssl crl` says "verify OK" there).
    case merged
    /// Standard output collected, standard error dropped.
    case outputOnly
    /// Both dropped (servers and peers whose output nobody reads).
    case discarded
    /// Both appended to a file (a peer's log, read when something goes wrong).
    case appended(to: URL)
}

/// Runs programs for the tests and benchmarks (p2psip, openssl, curl, tshark, SIPp, dumpcap):
/// every wait is bounded, and a full pipe never blocks a child (its output is read while it
/// runs). Not Platform's ChildProcess, the peer's own posix_spawn of its `testnet` children.
public enum Subprocess {
    /// Runs `executable` to its end, at most `seconds`; one that takes longer is killed and
    /// reported as a failure. `environment` is added to this process's environment.
    @discardableResult
    public static func run(
        _ executable: URL, _ arguments: [String] = [], in directory: URL? = nil, environment: [String: String] = [:],
        output: ChildOutput = .separate, seconds: Double = 60
    ) throws -> ProcessOutput {
        let child = try start(executable, arguments, in: directory, environment: environment, output: output)
        return try child.waitForExit(seconds: seconds)
    }

    /// `run`, requiring exit status 0: anything else throws, with the command and what it said.
    @discardableResult
    public static func require(
        _ executable: URL, _ arguments: [String] = [], in directory: URL? = nil, environment: [String: String] = [:],
        output: ChildOutput = .separate, seconds: Double = 60
    ) throws -> ProcessOutput {
        let result = try run(executable, arguments, in: directory, environment: environment, output: output, seconds: seconds)
        guard result.status == 0 else {
            throw ProcessFailure("\(describe(executable, arguments)) exited \(result.status): \(result.error) \(result.output.suffix(2000))")
        }
        return result
    }

    /// Starts a long-running child (a server, a peer, a capture); the caller stops it, and
    /// releasing it kills it.
    public static func start(
        _ executable: URL, _ arguments: [String] = [], in directory: URL? = nil, environment: [String: String] = [:],
        output: ChildOutput = .discarded
    ) throws -> RunningProcess {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ProcessFailure("\(executable.path): no such executable")
        }
        return try RunningProcess(executable, arguments, in: directory, environment: environment, output: output)
    }

    /// `name` in a directory of PATH, or nil.
    public static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Whether /usr/bin/NAME is installed (`cross/deps all` installs what the tests run).
    public static func isInstalled(_ name: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/" + name)
    }

    static func describe(_ executable: URL, _ arguments: [String]) -> String {
        ([executable.lastPathComponent] + arguments).joined(separator: " ")
    }
}

/// A child process started by `Subprocess.start`: what it wrote so far, signals, and a
/// bounded wait for its end.
public final class RunningProcess: @unchecked Sendable {
    let process = Process()
    let command: String
    let outputCollector: StreamCollector?
    let errorCollector: StreamCollector?
    /// Signalled once the child has exited (and again by every wait, for the next).
    let exited = DispatchSemaphore(value: 0)

    init(_ executable: URL, _ arguments: [String], in directory: URL?, environment: [String: String], output: ChildOutput) throws {
        command = Subprocess.describe(executable, arguments)
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        process.standardInput = FileHandle.nullDevice
        (outputCollector, errorCollector) = try Self.connect(process, output)
        process.terminationHandler = { [exited] _ in exited.signal() }
        try Self.withSignalsUnblocked { try process.run() }
    }

    /// The child starts with this thread's signal mask (posix_spawn), and the test runner's
    /// threads, libdispatch's workers, block SIGTERM, SIGHUP and SIGINT: children started from
    /// them could not be stopped or signalled, as a shell's children can.
    static func withSignalsUnblocked<Result>(_ body: () throws -> Result) rethrows -> Result {
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    /// Pipes (read while the child runs) or files for the child's output.
    static func connect(_ process: Process, _ output: ChildOutput) throws -> (StreamCollector?, StreamCollector?) {
        switch output {
        case .separate:
            let out = Pipe(), error = Pipe()
            process.standardOutput = out
            process.standardError = error
            return (StreamCollector(out), StreamCollector(error))
        case .merged:
            let both = Pipe()
            process.standardOutput = both
            process.standardError = both
            return (StreamCollector(both), nil)
        case .outputOnly:
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            return (StreamCollector(out), nil)
        case .discarded:
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return (nil, nil)
        case .appended(let file):
            if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
            let log = try FileHandle(forWritingTo: file)
            log.seekToEndOfFile()
            process.standardOutput = log
            process.standardError = log
            return (nil, nil)
        }
    }

    public var identifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    /// The exit status, or nil while the child runs.
    public var terminationStatus: Int32? { process.isRunning ? nil : process.terminationStatus }
    /// Standard output so far (with `.merged`, standard error too).
    public var output: String { outputCollector?.text ?? "" }
    /// Standard error so far (`.separate` only).
    public var error: String { errorCollector?.text ?? "" }

    /// Waits at most `seconds` for the child to exit; true when it has.
    public func waitUntilExit(seconds: Double) -> Bool {
        guard exited.wait(timeout: .now() + seconds) == .success else { return false }
        exited.signal()
        process.waitUntilExit()
        return true
    }

    /// Waits at most `seconds` for the end; past that the child is killed and this throws.
    /// Then what it wrote, taken once the pipes close (a grandchild that keeps them open is
    /// waited for at most 5 s more).
    public func waitForExit(seconds: Double) throws -> ProcessOutput {
        guard waitUntilExit(seconds: seconds) else {
            stop(graceSeconds: 2)
            throw ProcessFailure("\(command) ran over \(seconds) s")
        }
        let output = outputCollector?.finish(seconds: 5) ?? Data()
        let error = errorCollector?.finish(seconds: 5) ?? Data()
        return ProcessOutput(status: process.terminationStatus, data: output, error: String(decoding: error, as: UTF8.self))
    }

    /// Sends signal `number` to the child alone.
    public func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// SIGTERM, at most `graceSeconds` to exit, then SIGKILL: the exit status, or nil when it
    /// had to be killed. Both go to the child's process group (Foundation makes the child
    /// lead one): what a shell child started goes too, and Foundation sees the end only once
    /// every process that inherited its watch descriptor has gone.
    @discardableResult
    public func stop(graceSeconds: Double = 10) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        signalGroup(SIGTERM)
        if waitUntilExit(seconds: graceSeconds) { return process.terminationStatus }
        signalGroup(SIGKILL)
        _ = waitUntilExit(seconds: 10)
        return nil
    }

    private func signalGroup(_ number: Int32) {
        if process.isRunning { kill(-process.processIdentifier, number) }
    }

    /// No child outlives the test that started it, even one that failed before stopping it.
    deinit {
        if process.isRunning {
            signalGroup(SIGKILL)
            _ = waitUntilExit(seconds: 10)
        }
    }
}

/// Reads a pipe to its end on a thread of its own, so the child never blocks on a full pipe.
final class StreamCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private let ended = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            readToEnd(handle.fileDescriptor)
            try? handle.close()
            ended.signal()
        }
    }

    /// read(2) itself: Foundation's `read(upToCount:)` waits for the whole count, so what a
    /// running child wrote would not show until it ended.
    private func readToEnd(_ descriptor: Int32) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                lock.withLock { buffer.append(contentsOf: chunk[0..<count]) }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    var data: Data { lock.withLock { buffer } }
    var text: String { String(decoding: data, as: UTF8.self) }

    /// Everything, once the pipe has ended (or `seconds` have passed: what there is).
    func finish(seconds: Double) -> Data {
        if ended.wait(timeout: .now() + seconds) == .success { ended.signal() }
        return data
    }
}
