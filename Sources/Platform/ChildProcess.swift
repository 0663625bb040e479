import CPosix

/// Child processes: `p2psip testnet` and `p2psip demo` run real `p2psip peer` processes.
/// posix_spawn (no fork of a large process), output appended to a log file, signals.
public enum ChildProcess {
    /// Arguments one child may get (a bound on what is copied into C strings).
    public static let maximumArguments = 64

    /// Starts `path` with `arguments` (argv[1...]); output appended to `outputPath`.
    public static func spawn(_ path: String, _ arguments: [String], outputPath: String?) throws(PlatformError) -> Int32 {
        guard arguments.count < maximumArguments else { throw .limitReached("more than \(maximumArguments) arguments") }
        var storage: [[CChar]] = []
        for text in [path] + arguments {
            var bytes: [CChar] = []
            for byte in text.utf8 {
                if byte == 0 { throw .invalidPath(text) }
                bytes.append(CChar(bitPattern: byte))
            }
            bytes.append(0)
            storage.append(bytes)
        }
        var pointers: [UnsafeMutablePointer<CChar>?] = storage.map { bytes in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        pointers.append(nil)
        defer { for pointer in pointers { pointer?.deallocate() } }
        var pid: pid_t = 0
        let result: Int32
        if let outputPath {
            result = try CString.with(outputPath) { output in
                pointers.withUnsafeBufferPointer { p2psip_spawn(&pid, $0[0], $0.baseAddress, output) }
            }
        } else {
            result = pointers.withUnsafeBufferPointer { p2psip_spawn(&pid, $0[0], $0.baseAddress, nil) }
        }
        guard result == 0 else { throw .system(call: "posix_spawn \(path)", errno: result) }
        return pid
    }

    /// The exit status (128 + signal when killed) if the child ended, nil while it runs.
    public static func reap(_ pid: Int32) -> Int32? {
        var status: Int32 = 0
        guard p2psip_reap(pid, &status) == pid else { return nil }
        return p2psip_exit_status(status)
    }

    public enum Signal: Sendable {
        case terminate, kill, hangup

        var number: Int32 {
            switch self {
            case .terminate: return SIGTERM
            case .kill: return SIGKILL
            case .hangup: return SIGHUP
            }
        }
    }

    /// False when no such process (it is gone) or not ours.
    @discardableResult
    public static func signal(_ pid: Int32, _ signal: Signal) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, signal.number) == 0
    }

    /// True while a process with this pid exists (signal 0).
    public static func isRunning(_ pid: Int32) -> Bool { pid > 0 && kill(pid, 0) == 0 }

    /// This program's own executable (/proc/self/exe), to start more of itself.
    public static func ownExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { readlink("/proc/self/exe", $0.baseAddress!, $0.count - 1) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sleeps (the testnet's waits; never on an event loop).
    public static func sleep(milliseconds: UInt64) {
        var request = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int(milliseconds % 1000) * 1_000_000)
        _ = nanosleep(&request, nil)
    }
}
