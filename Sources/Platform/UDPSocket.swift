import CPosix

/// A non-blocking UDP socket bound to one local address. Owns its file descriptor.
public final class UDPSocket {
    public let fileDescriptor: Int32

    /// The largest datagram we receive; larger ones are reported as truncated and dropped.
    /// RELOAD's default max-message-size is 5000 bytes (RFC 6940 §6.6); DTLS adds its record
    /// overhead; 65535 is the UDP maximum.
    public static let maximumDatagramBytes = 65535

    /// Opens a socket and binds it. IPv6 sockets are IPv6-only (IPV6_V6ONLY), so an IPv4 and
    /// an IPv6 socket can share a port.
    public init(binding address: SocketAddress) throws(PlatformError) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let socketType = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(family, socketType, 0)
        if descriptor < 0 { throw PlatformError.lastError("socket") }
        fileDescriptor = descriptor
        if address.isIPv6 {
            var one: Int32 = 1
            if setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                throw PlatformError.lastError("setsockopt(IPV6_V6ONLY)")
            }
        }
        let result = address.withSocketAddress { bind(descriptor, $0, $1) }
        if result != 0 { throw PlatformError.lastError("bind \(address.description)") }
    }

    deinit {
        close(fileDescriptor)
    }

    /// The bound address (with the port the kernel chose for port 0).
    public func localAddress() throws(PlatformError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { getsockname(fileDescriptor, p2psip_sockaddr_storage_cast($0), &length) }
        if result != 0 { throw PlatformError.lastError("getsockname") }
        guard let address = withUnsafePointer(to: &storage, { SocketAddress.from(storage: $0) }) else {
            throw .system(call: "getsockname", errno: EAFNOSUPPORT)
        }
        return address
    }

    /// Sends one datagram. Returns false when the kernel's buffer is full (EAGAIN): the
    /// datagram is dropped, as UDP may drop it anyway; the caller counts it.
    public func send(_ bytes: [UInt8], to address: SocketAddress) throws(PlatformError) -> Bool {
        let sent = bytes.withUnsafeBytes { buffer in
            address.withSocketAddress { sendto(fileDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
        if sent >= 0 { return true }
        let error = p2psip_errno()
        if error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS { return false }
        if error == EINTR { return false }
        throw .system(call: "sendto \(address.description)", errno: error)
    }

    public enum Received {
        case datagram(count: Int, from: SocketAddress)
        /// The datagram was larger than the buffer; it was discarded by the kernel.
        case truncated(from: SocketAddress)
        /// Nothing to read now.
        case none
    }

    /// Receives one datagram into `buffer` (which must be non-empty).
    public func receive(into buffer: inout [UInt8]) throws(PlatformError) -> Received {
        precondition(!buffer.isEmpty)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let capacity = buffer.count
        let received = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &storage) { recvfrom(fileDescriptor, raw.baseAddress, capacity, Int32(MSG_TRUNC), p2psip_sockaddr_storage_cast($0), &length) }
        }
        if received < 0 {
            let error = p2psip_errno()
            if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return .none }
            // ICMP errors surface here on Linux (ECONNREFUSED for an earlier send): not fatal.
            if error == ECONNREFUSED || error == EHOSTUNREACH || error == ENETUNREACH { return .none }
            throw .system(call: "recvfrom", errno: error)
        }
        guard let from = withUnsafePointer(to: &storage, { SocketAddress.from(storage: $0) }) else { return .none }
        if received > capacity { return .truncated(from: from) }
        return .datagram(count: received, from: from)
    }
}
