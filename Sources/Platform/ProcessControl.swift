import CPosix

/// The process: environment, exit, standard output and error.
public enum ProcessControl {
    public static func environment(_ name: String) -> String? {
        let found: UnsafeMutablePointer<CChar>?? = try? CString.with(name) { getenv($0) }
        guard let found, let value = found else { return nil }
        return CString.string(value)
    }

    public static func exit(_ status: Int32) -> Never {
        CPosix.exit(status)
    }

    public static var processIdentifier: Int32 { getpid() }

    public enum SignalName: Sendable {
        case hangup, interrupt, terminate

        var number: Int32 {
            switch self {
            case .hangup: return SIGHUP
            case .interrupt: return SIGINT
            case .terminate: return SIGTERM
            }
        }
    }

    /// Sends a signal to this process (selftest of the signal path).
    public static func signalSelf(_ signal: SignalName) -> Bool {
        return raise(signal.number) == 0
    }

    /// Arguments from a C `main` (the Embedded entry point has no CommandLine).
    public static func arguments(
        count: Int32, values: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    ) -> [String] {
        var arguments: [String] = []
        for index in 0..<Int(count) {
            guard let value = values[index] else { break }
            arguments.append(CString.string(value))
        }
        return arguments
    }
}

/// Lines to standard output and standard error, written with write(2) so that their order is
/// the order of the calls (no stdio buffering between the two).
public enum Console {
    public static func out(_ line: String) {
        write(line + "\n", to: 1)
    }

    public static func error(_ line: String) {
        write(line + "\n", to: 2)
    }

    public static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { CPosix.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if p2psip_errno() == EINTR { continue }
                return  // a closed pipe: nothing sensible to do with output
            }
            offset += count
        }
    }
}
