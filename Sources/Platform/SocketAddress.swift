import CPosix

/// An IPv4 or IPv6 address with a UDP/TCP port. Text forms: "192.0.2.1:6084", "[::1]:6084".
public enum SocketAddress: Equatable, Hashable, Sendable {
    case v4(address: [UInt8], port: UInt16)
    case v6(address: [UInt8], port: UInt16)

    public var port: UInt16 {
        switch self {
        case .v4(_, let port), .v6(_, let port): return port
        }
    }

    /// The address bytes: 4 for IPv4, 16 for IPv6 (network order).
    public var addressBytes: [UInt8] {
        switch self {
        case .v4(let address, _), .v6(let address, _): return address
        }
    }

    public var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// Parses "a.b.c.d:port" or "[v6]:port". Port 0 is allowed (bind to any free port).
    public static func parse(_ text: String) -> SocketAddress? {
        let bytes = Array(text.utf8)
        guard let colon = bytes.lastIndex(of: 0x3A), colon + 1 < bytes.count else { return nil }
        guard let port = parsePort(bytes[(colon + 1)...]) else { return nil }
        if bytes.first == 0x5B {  // '['
            guard colon >= 2, bytes[colon - 1] == 0x5D else { return nil }  // ']'
            guard let address = presentationToBytes(Array(bytes[1..<(colon - 1)]), family: AF_INET6, count: 16) else {
                return nil
            }
            return .v6(address: address, port: port)
        }
        guard let address = presentationToBytes(Array(bytes[0..<colon]), family: AF_INET, count: 4) else { return nil }
        return .v4(address: address, port: port)
    }

    /// Parses "address" plus a separate port (IPv6 without brackets).
    public static func parse(host: String, port: UInt16) -> SocketAddress? {
        let bytes = Array(host.utf8)
        if let address = presentationToBytes(bytes, family: AF_INET, count: 4) {
            return .v4(address: address, port: port)
        }
        if let address = presentationToBytes(bytes, family: AF_INET6, count: 16) {
            return .v6(address: address, port: port)
        }
        return nil
    }

    static func parsePort(_ digits: ArraySlice<UInt8>) -> UInt16? {
        guard !digits.isEmpty, digits.count <= 5 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value <= 65535 ? UInt16(value) : nil
    }

    static func presentationToBytes(_ text: [UInt8], family: Int32, count: Int) -> [UInt8]? {
        guard !text.isEmpty, text.count < 64, !text.contains(0) else { return nil }
        var output = [UInt8](repeating: 0, count: 16)
        var input = text.map { CChar(bitPattern: $0) }
        input.append(0)
        let result = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBytes { inet_pton(family, source.baseAddress, $0.baseAddress) }
        }
        return result == 1 ? Array(output[0..<count]) : nil
    }

    /// "192.0.2.1:6084" or "[2001:db8::1]:6084".
    public var description: String {
        return isIPv6 ? "[\(hostText)]:\(port)" : "\(hostText):\(port)"
    }

    /// The address alone: "192.0.2.1" or "2001:db8::1" (no brackets).
    public var hostText: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv6 ? AF_INET6 : AF_INET
        var address = addressBytes
        let text: String = buffer.withUnsafeMutableBufferPointer { output in
            let result = address.withUnsafeMutableBytes {
                inet_ntop(family, $0.baseAddress, output.baseAddress, socklen_t(output.count))
            }
            guard let result else { return "?" }
            return CString.string(result)
        }
        return text
    }

    /// Calls `body` with the C sockaddr for this address.
    func withSocketAddress<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .v4(let bytes, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { raw in
                for index in 0..<4 { raw[index] = bytes[index] }
            }
            return withUnsafePointer(to: &address) { body(p2psip_sockaddr_in_cast($0), socklen_t(MemoryLayout<sockaddr_in>.size)) }
        case .v6(let bytes, let port):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
                for index in 0..<16 { raw[index] = bytes[index] }
            }
            return withUnsafePointer(to: &address) { body(p2psip_sockaddr_in6_cast($0), socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }

    /// Reads a sockaddr filled in by the kernel (recvfrom, getsockname).
    static func from(storage: UnsafePointer<sockaddr_storage>) -> SocketAddress? {
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let address = p2psip_storage_as_in(storage)!.pointee
            var bytes = [UInt8](repeating: 0, count: 4)
            withUnsafeBytes(of: address.sin_addr) { raw in for index in 0..<4 { bytes[index] = raw[index] } }
            return .v4(address: bytes, port: UInt16(bigEndian: address.sin_port))
        case AF_INET6:
            let address = p2psip_storage_as_in6(storage)!.pointee
            var bytes = [UInt8](repeating: 0, count: 16)
            withUnsafeBytes(of: address.sin6_addr) { raw in for index in 0..<16 { bytes[index] = raw[index] } }
            return .v6(address: bytes, port: UInt16(bigEndian: address.sin6_port))
        default:
            return nil
        }
    }
}
