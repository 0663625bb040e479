import Crypto
import Enrollment
import Foundation
#if canImport(Glibc)
import Glibc
import HTTP
import TestSupport
import Wire
#endif

/// A one-connection-at-a-time plain-HTTP loopback server for interoperability tests: real
/// curl requests go through HTTPRequestParser and EnrollmentService. (TLS and the event loop
/// are the networked part's; this only proves the bytes curl sends are understood.)
final class LoopbackHTTP {
    let listener: Int32
    let port: UInt16

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(listener)
    }

    static let curlPath = Subprocess.find("curl")

    /// Runs curl with `arguments` (the URL's "PORT" replaced) while serving one connection
    /// with `service`; returns curl's exit status and output, and the server's answer.
    func run(
        curl arguments: [String], in directory: URL, service: EnrollmentService, now: WallTime, random: RandomGenerator
    ) throws -> (status: Int32, output: String, answer: EnrollmentService.Answer?) {
        let curl = try Subprocess.start(
            LoopbackHTTP.curlPath ?? URL(fileURLWithPath: "/usr/bin/curl"), arguments.map { $0.replacingOccurrences(of: "PORT", with: "\(port)") },
            in: directory, output: .merged)
        let answer = serveOne(service: service, now: now, random: random)
        let result = try curl.waitForExit(seconds: 30)
        return (result.status, result.output, answer)
    }

    func serveOne(service: EnrollmentService, now: WallTime, random: RandomGenerator) -> EnrollmentService.Answer? {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 10_000) == 1 else { return nil }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return nil }
        defer { close(connection) }
        var parser = HTTPRequestParser()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var readable = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&readable, 1, 10_000) == 1 else { return nil }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            let result = parser.feed(Array(buffer[0..<count]))
            guard let answer = service.answer(result, source: [127, 0, 0, 1], now: now, using: random) else { continue }
            let bytes = answer.response.serialized()
            var sent = 0
            while sent < bytes.count {
                let written = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
                if written <= 0 { break }
                sent += written
            }
            shutdown(connection, Int32(SHUT_WR))
            return answer
        }
    }
}
