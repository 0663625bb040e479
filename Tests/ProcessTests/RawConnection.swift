import Foundation
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// A plain TCP connection to the server, for clients that misbehave below TLS: garbage bytes,
/// silence. Every wait is bounded by poll(2).
final class RawConnection {
    let descriptor: Int32
    let opened = Date()

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ProcessFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ProcessFailure("connect: errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the server closes (end of stream or reset) or `seconds` pass: what arrived,
    /// whether it closed, and when (seconds after the connection was opened).
    func readUntilClosed(seconds: Double) -> (bytes: [UInt8], closed: Bool, after: Double) {
        let start = Date()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = seconds - Date().timeIntervalSince(start)
            if left <= 0 { return (received, false, Date().timeIntervalSince(opened)) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(left * 1000) + 1)
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (received, true, Date().timeIntervalSince(opened)) }
            received += buffer[0..<count]
        }
    }
}
