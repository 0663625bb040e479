import CPosix

/// Why an operating system call failed. `system` keeps the call's name and errno, so a log
/// line says what was tried and why it failed.
public enum PlatformError: Error, Equatable {
    case system(call: String, errno: Int32)
    /// Text that is not an address (e.g. "300.1.1.1:5", "[::1]", ":80").
    case invalidAddress(String)
    /// A bounded table of ours is full (sources of the event loop, directory entries).
    case limitReached(String)
    /// A file larger than the caller's bound.
    case fileTooLarge(path: String, limit: Int)
    /// A path we refuse (empty, relative where absolute is needed, too long, NUL inside).
    case invalidPath(String)

    public var description: String {
        switch self {
        case .system(let call, let errno):
            return "\(call): \(PlatformError.describe(errno: errno))"
        case .invalidAddress(let text):
            return "invalid address '\(text)' (expected IPv4:port or [IPv6]:port)"
        case .limitReached(let what):
            return "limit reached: \(what)"
        case .fileTooLarge(let path, let limit):
            return "\(path): larger than \(limit) bytes"
        case .invalidPath(let path):
            return "invalid path '\(path)'"
        }
    }

    /// strerror(3) text for an errno value.
    public static func describe(errno value: Int32) -> String {
        guard let text = strerror(value) else { return "errno \(value)" }
        return CString.string(text)
    }

    /// An error for the call that just failed, with the current errno.
    static func lastError(_ call: String) -> PlatformError {
        return .system(call: call, errno: p2psip_errno())
    }
}

/// Conversions between Swift strings and C strings that work the same in Embedded Swift.
enum CString {
    static func string(_ pointer: UnsafePointer<CChar>) -> String {
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// Calls `body` with a NUL-terminated copy of `text`; fails on an embedded NUL.
    static func with<R>(_ text: String, _ body: (UnsafePointer<CChar>) -> R) throws(PlatformError) -> R {
        var bytes: [CChar] = []
        bytes.reserveCapacity(text.utf8.count + 1)
        for byte in text.utf8 {
            if byte == 0 { throw .invalidPath(text) }
            bytes.append(CChar(bitPattern: byte))
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
