import Foundation

// What the benchmark commands share (host-only, Foundation): their command-line options,
// running the p2psip binary built next to them, percentiles, and what /proc says about a
// process's memory and CPU time.

/// Why a benchmark stopped.
public struct BenchFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `--name value` options of a benchmark command. Each value is asked for once, with its
/// default and range; `finish()` then refuses what was not asked for. Bad input ends the
/// command with a message naming the option (exit status 2).
public final class BenchOptions {
    let command: String
    let usage: String
    var values: [String: String] = [:]
    var asked: Set<String> = []

    /// `usage` is printed with `--help` and after an error.
    public init(_ command: String, usage: String, arguments: [String] = CommandLine.arguments) {
        self.command = command
        self.usage = usage
        var index = 1
        while index < arguments.count {
            let name = arguments[index]
            if name == "--help" || name == "-h" {
                print("usage: \(usage)")
                exit(0)
            }
            guard name.hasPrefix("--"), index + 1 < arguments.count else { fail("\(name): expected --option VALUE") }
            values[name] = arguments[index + 1]
            index += 2
        }
    }

    public func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        asked.insert(name)
        guard let text = values[name] else { return value }
        guard let number = Int(text), range.contains(number) else { fail("\(name) \(text): a whole number in \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    public func number(_ name: String, default value: Double, in range: ClosedRange<Double>) -> Double {
        asked.insert(name)
        guard let text = values[name] else { return value }
        guard let number = Double(text), range.contains(number) else { fail("\(name) \(text): a number in \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    /// Refuses options no `integer` or `number` call asked for.
    public func finish() {
        if let unknown = values.keys.sorted().first(where: { !asked.contains($0) }) { fail("unknown option \(unknown)") }
    }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(command): \(message)\nusage: \(usage)\n".utf8))
        exit(2)
    }
}

/// A program built next to this one (`swift build` puts all products in one directory).
public func sibling(_ name: String) -> URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
}

/// Runs `executable` to its end; its standard output. A non-zero exit status throws.
@discardableResult
public func run(_ executable: URL, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchFailure("\(executable.lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) failed (exit status \(process.terminationStatus))")
    }
    return String(decoding: data, as: UTF8.self)
}

/// The value at fraction `p` (0.5 the median, 0.99 the p99) of `values`, nearest rank; nan
/// when there are none.
public func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
}

/// The median, the mean of the middle two of an even count; nan when there are none.
public func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// VmRSS of a process in KiB (/proc/PID/status); -1 when it cannot be read.
public func residentKiB(_ pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return -1 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

/// utime + stime of a process, in seconds (/proc/PID/stat); 0 when it cannot be read.
public func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
    else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state is field 3, utime 14, stime 15 (1-based in proc(5)).
    guard fields.count > 12 else { return 0 }
    let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU time of this thread, in ms (what the peers' utime + stime count too, unlike wall time
/// on a shared machine).
public func threadCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}

/// A connected stream socket to a peer's control socket at `path`; -1 when it cannot connect.
public func connectControl(_ path: String) -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return -1 }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        path.utf8CString.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1))) }
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard connected == 0 else {
        close(descriptor)
        return -1
    }
    return descriptor
}

/// Writes all of `text`; false when the socket refuses.
public func writeAll(_ descriptor: Int32, _ text: String) -> Bool {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written > 0 else { return false }
        offset += written
    }
    return true
}

/// A `p2psip testnet` or `p2psip demo` overlay of real peers on loopback, started detached in
/// a directory of its own for one benchmark run; `down()` stops the peers and removes it.
/// Ports: a slot of 100 from 20000-31999 by process id (below Linux's ephemeral ports).
public final class BenchOverlay {
    public let command: String
    public let directory: URL
    public let basePort: Int
    /// From the command's start to its return (CA, enrollments, joins), in seconds.
    public let startSeconds: Double
    /// DIR/net/testnet.json or demo.json.
    public let description: [String: Any]

    /// `command` is "testnet" or "demo"; `arguments` its options besides --dir, --base-port
    /// and --detach.
    public init(_ command: String, name: String, _ arguments: [String]) throws {
        self.command = command
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
        basePort = 20000 + Int(getpid() % 120) * 100
        let net = directory.appendingPathComponent("net")
        let started = Date()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try run(sibling("p2psip"), [command, "--dir", net.path, "--base-port", "\(basePort)", "--detach"] + arguments)
            let data = try Data(contentsOf: net.appendingPathComponent("\(command).json"))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw BenchFailure("\(command).json is not a JSON object")
            }
            description = object
        } catch {
            Self.stop(command, directory)
            throw error
        }
        startSeconds = Date().timeIntervalSince(started)
    }

    public var net: URL { directory.appendingPathComponent("net") }
    public var peers: [[String: Any]] { description["peers"] as? [[String: Any]] ?? [] }

    public func down() { Self.stop(command, directory) }

    static func stop(_ command: String, _ directory: URL) {
        _ = try? run(sibling("p2psip"), [command, "--dir", directory.appendingPathComponent("net").path, "--down"])
        try? FileManager.default.removeItem(at: directory)
    }
}
