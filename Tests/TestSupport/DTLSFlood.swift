import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Link
import Wire

/// UDP sockets on loopback addresses of their own (127.0.0.0/8 is all loopback on Linux), for
/// the tests and benchmarks that send DTLS from many hosts at a real peer. Every call is
/// non-blocking or bounded.
public enum LoopbackUDP {
    /// A UDP socket bound to `host` (any port).
    public static func bound(to host: String) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { throw ProcessFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw ProcessFailure("bind \(host): errno \(errno)")
        }
        return socket
    }

    /// Sends one datagram to 127.0.0.1:`port`; false when the socket refused it (a full buffer).
    @discardableResult
    public static func send(_ datagram: [UInt8], on socket: Int32, to port: UInt16) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(socket, datagram, datagram.count, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return sent == datagram.count
    }

    /// One datagram waiting, or nil.
    public static func receive(on socket: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count > 0 ? Array(buffer[0..<count]) : nil
    }

    /// One datagram within `milliseconds`, or nil.
    public static func receive(on socket: Int32, milliseconds: Int32) -> [UInt8]? {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return nil }
        return receive(on: socket)
    }

    /// `count` distinct loopback addresses from 127.`first`.1 on (127.A.B.1-250): hosts of
    /// their own for floods from many sources.
    public static func hosts(_ count: Int, from first: Int) -> [String] {
        (0..<count).map { "127.\(first + $0 / 250).\($0 % 250 + 1).1" }
    }
}

/// Well-formed DTLS 1.2 ClientHellos (RFC 6347 §4.2.1 without a cookie), each with a fresh
/// random.
public enum ClientHelloFlood {
    public static func clientHello() -> [UInt8] {
        var body: [UInt8] = [0xfe, 0xfd] + (0..<32).map { _ in UInt8.random(in: 0...255) }
        body += [0, 0]  // session_id, cookie: empty
        body += [0, 2, 0xc0, 0x2b, 1, 0]  // ECDHE-ECDSA-AES128-GCM-SHA256; null compression
        let extensions: [UInt8] = [0x00, 0x0a, 0, 4, 0, 2, 0x00, 0x17,  // supported_groups: secp256r1
                                   0x00, 0x0b, 0, 2, 1, 0,  // ec_point_formats: uncompressed
                                   0x00, 0x0d, 0, 4, 0, 2, 0x04, 0x03]  // signature_algorithms: ecdsa_secp256r1_sha256
        body += [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xff)] + extensions
        let length = [UInt8(body.count >> 16), UInt8(body.count >> 8 & 0xff), UInt8(body.count & 0xff)]
        let handshake: [UInt8] = [1] + length + [0, 0] + [0, 0, 0] + length + body
        return [0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(handshake.count >> 8), UInt8(handshake.count & 0xff)] + handshake
    }

    /// `count` ClientHellos from one socket on 127.0.0.1; returns how many were sent (a full
    /// socket buffer drops some).
    public static func send(count: Int, to port: UInt16) throws -> Int {
        let socket = try LoopbackUDP.bound(to: "127.0.0.1")
        defer { close(socket) }
        var sent = 0
        for index in 0..<count {
            if LoopbackUDP.send(clientHello(), on: socket, to: port) { sent += 1 }
            if index % 200 == 199 { Thread.sleep(forTimeInterval: 0.01) }
        }
        return sent
    }
}

/// DTLS clients that answer the HelloVerifyRequest and then go silent: handshakes left
/// half-open at the server (RFC 6347 §4.2.1: the cookie proves the address, nothing more).
public enum HalfOpenFlood {
    /// `perHost` sockets on each of `hosts`: ClientHello, cookie, ClientHello with the cookie,
    /// nothing more. Returns how many got the server's flight (a handshake accepted).
    public static func round(
        client: SecureSessionConfiguration, port: UInt16, hosts: [String] = (2...9).map { "127.0.0.\($0)" }, perHost: Int = 8
    ) throws -> Int {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var sessions: [SecureSession] = []
        for host in hosts {
            for _ in 0..<perHost {
                let socket = try LoopbackUDP.bound(to: host)
                sockets.append(socket)
                let session = try SecureSession(connectingWith: client, now: Instant(nanoseconds: 1))
                sessions.append(session)
                for datagram in datagrams(in: session.start(now: Instant(nanoseconds: 1))) { LoopbackUDP.send(datagram, on: socket, to: port) }
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        for (socket, session) in zip(sockets, sessions) {
            guard let verify = LoopbackUDP.receive(on: socket) else { continue }
            for datagram in datagrams(in: session.receive(verify, now: Instant(nanoseconds: 2))) { LoopbackUDP.send(datagram, on: socket, to: port) }
        }
        Thread.sleep(forTimeInterval: 0.3)
        // The server's flight came: the handshake is half-open now.
        return sockets.filter { LoopbackUDP.receive(on: $0) != nil }.count
    }

    public static func datagrams(in actions: [SecureSessionAction]) -> [[UInt8]] {
        actions.compactMap { action in
            if case .transmit(let bytes) = action { return bytes }
            return nil
        }
    }
}
