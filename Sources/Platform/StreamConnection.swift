import CPosix

/// One non-blocking stream connection (TCP or Unix). Reads and writes never block: they
/// report `wouldBlock` and the owner waits for the event loop.
public final class StreamConnection {
    public let fileDescriptor: Int32
    /// The remote address for TCP; nil for Unix sockets.
    public let peer: SocketAddress?

    init(adopting descriptor: Int32, peer: SocketAddress?) throws(PlatformError) {
        fileDescriptor = descriptor
        self.peer = peer
        let flags = fcntl_getfl(descriptor)
        if flags < 0 || fcntl_setfl(descriptor, flags | O_NONBLOCK) != 0 { throw PlatformError.lastError("fcntl(O_NONBLOCK)") }
        if fcntl_setfd(descriptor, FD_CLOEXEC) != 0 { throw PlatformError.lastError("fcntl(FD_CLOEXEC)") }
    }

    deinit {
        close(fileDescriptor)
    }

    /// Starts a TCP connection; it completes when the descriptor becomes writable, then call
    /// `finishConnect()`.
    public static func connect(tcp address: SocketAddress) throws(PlatformError) -> StreamConnection {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if descriptor < 0 { throw PlatformError.lastError("socket") }
        let connection = try StreamConnection(adopting: descriptor, peer: address)
        let result = address.withSocketAddress { CPosix.connect(descriptor, $0, $1) }
        if result != 0 && p2psip_errno() != EINPROGRESS { throw PlatformError.lastError("connect \(address.description)") }
        return connection
    }

    /// Connects to a Unix socket (completes at once or fails).
    public static func connect(unixPath path: String) throws(PlatformError) -> StreamConnection {
        try UnixAddress.check(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if descriptor < 0 { throw PlatformError.lastError("socket(AF_UNIX)") }
        if UnixAddress.withSocketAddress(path, { CPosix.connect(descriptor, $0, $1) }) != 0 {
            let error = PlatformError.lastError("connect \(path)")
            close(descriptor)
            throw error
        }
        return try StreamConnection(adopting: descriptor, peer: nil)
    }

    /// After a non-blocking connect became writable: throws if it failed.
    public func finishConnect() throws(PlatformError) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fileDescriptor, SOL_SOCKET, SO_ERROR, &error, &length) != 0 { throw PlatformError.lastError("getsockopt(SO_ERROR)") }
        if error != 0 { throw .system(call: "connect \(peer?.description ?? "")", errno: error) }
    }

    public enum ReadResult: Equatable {
        case bytes(Int)
        case wouldBlock
        /// The other side closed (end of stream) or reset the connection.
        case closed
    }

    /// Reads what is available into `buffer` (at most its size).
    public func read(into buffer: inout [UInt8]) throws(PlatformError) -> ReadResult {
        precondition(!buffer.isEmpty)
        let count = buffer.withUnsafeMutableBytes { CPosix.read(fileDescriptor, $0.baseAddress, $0.count) }
        if count > 0 { return .bytes(count) }
        if count == 0 { return .closed }
        let error = p2psip_errno()
        if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return .wouldBlock }
        if error == ECONNRESET || error == EPIPE || error == ETIMEDOUT { return .closed }
        throw .system(call: "read", errno: error)
    }

    /// Writes as much of `bytes` as the kernel takes now; returns the count (0: would block).
    /// Throws `.system(..., EPIPE)` style errors when the connection is gone.
    public func write(_ bytes: ArraySlice<UInt8>) throws(PlatformError) -> Int {
        if bytes.isEmpty { return 0 }
        let count = bytes.withUnsafeBytes { send(fileDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if count >= 0 { return count }
        let error = p2psip_errno()
        if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return 0 }
        throw .system(call: "send", errno: error)
    }

    /// Half-closes: no more writes from this side (the other side reads end of stream).
    public func shutdownWrite() {
        _ = shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    static func address(of descriptor: Int32, peer: Bool) throws(PlatformError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            peer ? getpeername(descriptor, p2psip_sockaddr_storage_cast($0), &length)
                : getsockname(descriptor, p2psip_sockaddr_storage_cast($0), &length)
        }
        if result != 0 { throw PlatformError.lastError(peer ? "getpeername" : "getsockname") }
        guard let address = withUnsafePointer(to: &storage, { SocketAddress.from(storage: $0) }) else {
            throw .system(call: "getsockname", errno: EAFNOSUPPORT)
        }
        return address
    }
}
