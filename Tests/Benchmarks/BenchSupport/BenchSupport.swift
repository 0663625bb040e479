import Foundation
import TestSupport

// What the benchmark commands share (host-only, Foundation): their command-line options,
// percentiles, what /proc says about a process's memory and CPU time, a peer's control socket,
// and the overlay they measure. Child processes, the programs built beside them and
// temporary directories come from TestSupport, as for the tests.

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

    public func choice(_ name: String, default value: String, of allowed: [String]) -> String {
        asked.insert(name)
        guard let text = values[name] else { return value }
        guard allowed.contains(text) else { fail("\(name) \(text): one of \(allowed.joined(separator: ", "))") }
        return text
    }

    /// Any non-empty text (a board name or a file path, checked by whoever uses it).
    public func text(_ name: String, default value: String) -> String {
        asked.insert(name)
        guard let text = values[name] else { return value }
        guard !text.isEmpty else { fail("\(name): expected a value") }
        return text
    }

    /// Refuses options no `integer`, `number`, `choice` or `text` call asked for.
    public func finish() {
        if let unknown = values.keys.sorted().first(where: { !asked.contains($0) }) { fail("unknown option \(unknown)") }
    }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(command): \(message)\nusage: \(usage)\n".utf8))
        exit(2)
    }
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

/// A `p2psip testnet` or `p2psip demo` overlay of real peers for one benchmark run
/// (`command`: "testnet" or "demo"; `arguments`: its options besides --dir, --base-port and
/// --detach), on a slot of 100 ports in 20000-31999 chosen by process id: below Linux's
/// ephemeral ports, which the peers' own sockets draw from. Its start may take long (a
/// thousand users enroll), so the bound on it is generous.
public func benchOverlay(_ command: String, name: String, _ arguments: [String]) throws -> DetachedOverlay {
    return try DetachedOverlay(command, name: name, basePort: 20000 + Int(getpid() % 120) * 100, arguments, seconds: 1800)
}
