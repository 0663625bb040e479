import CPosix

/// A non-blocking listening stream socket: TCP (the enrollment server's HTTPS) or a Unix
/// socket (the peer's local control interface, owner-only).
public final class StreamListener {
    public let fileDescriptor: Int32

    /// Listens on a TCP address (SO_REUSEADDR, so a restarted server can bind at once).
    public init(tcp address: SocketAddress, backlog: Int32) throws(PlatformError) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if descriptor < 0 { throw PlatformError.lastError("socket") }
        fileDescriptor = descriptor
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if address.isIPv6 {
            _ = setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        if address.withSocketAddress({ bind(descriptor, $0, $1) }) != 0 {
            throw PlatformError.lastError("bind \(address.description)")
        }
        if listen(descriptor, backlog) != 0 { throw PlatformError.lastError("listen \(address.description)") }
    }

    /// Listens on a Unix socket at `path` with permissions `mode` (0600: only the owner may
    /// connect). A stale socket file from an earlier run is replaced; any other file is not.
    public init(unixPath path: String, mode: UInt32, backlog: Int32) throws(PlatformError) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if descriptor < 0 { throw PlatformError.lastError("socket(AF_UNIX)") }
        fileDescriptor = descriptor
        try UnixAddress.check(path)
        if FileSystem.exists(path) {
            guard FileSystem.isSocket(path) else { throw .system(call: "\(path) exists and is not a socket", errno: EEXIST) }
            _ = try CString.with(path) { unlink($0) }
        }
        // Bind under a restrictive umask so the socket is never reachable by others, then
        // set the exact mode.
        let previous = umask(0o177)
        let bound = UnixAddress.withSocketAddress(path) { bind(descriptor, $0, $1) }
        umask(previous)
        if bound != 0 { throw PlatformError.lastError("bind \(path)") }
        unixPathStorage = path
        if (try CString.with(path) { chmod($0, mode_t(mode)) }) != 0 { throw PlatformError.lastError("chmod \(path)") }
        if listen(descriptor, backlog) != 0 { throw PlatformError.lastError("listen \(path)") }
    }

    /// The Unix socket path to remove when the listener goes away.
    var unixPathStorage: String? = nil

    deinit {
        close(fileDescriptor)
        if let path = unixPathStorage { _ = try? CString.with(path) { unlink($0) } }
    }

    /// The bound TCP address (with the port the kernel chose for port 0).
    public func localAddress() throws(PlatformError) -> SocketAddress {
        return try StreamConnection.address(of: fileDescriptor, peer: false)
    }

    /// Accepts one pending connection, non-blocking; nil when none is waiting.
    public func accept() throws(PlatformError) -> StreamConnection? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let descriptor = withUnsafeMutablePointer(to: &storage) {
            CPosix.accept(fileDescriptor, p2psip_sockaddr_storage_cast($0), &length)
        }
        if descriptor < 0 {
            let error = p2psip_errno()
            // ECONNABORTED and the like concern one client, not the listener.
            if error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED || error == EPROTO {
                return nil
            }
            throw .system(call: "accept", errno: error)
        }
        let peer = withUnsafePointer(to: &storage) { SocketAddress.from(storage: $0) }
        return try StreamConnection(adopting: descriptor, peer: peer)
    }
}

/// sockaddr_un handling.
enum UnixAddress {
    /// sun_path holds 108 bytes including the terminating NUL.
    static let maximumPathBytes = 107

    static func check(_ path: String) throws(PlatformError) {
        if path.isEmpty || path.utf8.count > maximumPathBytes || path.utf8.contains(0) { throw .invalidPath(path) }
    }

    static func withSocketAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for index in 0..<min(bytes.count, raw.count - 1) { raw[index] = bytes[index] }
        }
        return withUnsafePointer(to: &address) { body(p2psip_sockaddr_un_cast($0), socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}
