import Foundation
import Glibc
import Testing
import Link
import Wire
import TestSupport

/// Handshakes left half-open by hosts that answer cookies (RFC 6347 §4.2.1) against a real
/// peer on loopback: rounds of 64 from 8 addresses (127.0.0.2-9) that never send their second
/// flight, while an honest peer joins through it.
@Suite(.serialized, .enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct HalfOpenFloodTests {
    @Test func anHonestPeerJoinsThroughAFloodOfHalfOpenHandshakes() throws {
        let net = try TestnetProcess("halfopen", peers: 2, users: 1, basePort: TestnetProcess.basePort(7))
        defer { net.down() }
        let port = UInt16(net.peers[0].overlay.split(separator: ":").last!)!
        let client = try TestConfigurations.make(try TestPKI.load().alice, role: .client)
        // The first round fills every slot; the honest peer starts into a full table.
        var accepted = try HalfOpenFlood.round(client: client, port: port)
        let user = net.users[0]
        let started = Date()
        let honest = try Subprocess.start(Tool.p2psip, [
            "peer", "--identity", user, "--listen", "127.0.0.1:\(net.basePort + 50)", "--bootstrap", net.peers[0].overlay,
            "--control", user + "/control.sock"], in: net.directory)
        defer { honest.stop() }
        var joined = false
        while !joined && Date().timeIntervalSince(started) < 40 {
            accepted += try HalfOpenFlood.round(client: client, port: port)
            let status = try? Tool.p2psip(["status", "--control", user + "/control.sock"], in: net.directory, seconds: 5)
            joined = status?.output.contains("state: joined") == true
            if !joined { Thread.sleep(forTimeInterval: 0.5) }
        }
        let took = Date().timeIntervalSince(started)
        let transport = (net.status(0)?["transport"] as? [String: Int]) ?? [:]
        print("half-open flood: \(accepted) handshakes left half-open from 8 addresses; honest join took \(String(format: "%.1f", took)) s; "
              + "gave way \(transport["half_open_gave_way"] ?? -1), expired \(transport["half_open_expired"] ?? -1), "
              + "over limit \(transport["client_hellos_over_limit"] ?? -1)")
        #expect(accepted >= 32, "the flood did not fill the table (\(accepted) server flights)")
        #expect(joined, "the honest peer did not join within 40 s of flooding")
        #expect((transport["half_open_gave_way"] ?? 0) + (transport["half_open_expired"] ?? 0) > 0)
        #expect((transport["handshakes_in_progress"] ?? 99) <= 32)  // x86_64-dev max-handshakes
    }
}

/// DTLS clients that answer the HelloVerifyRequest and then go silent.
enum HalfOpenFlood {
    /// 8 sockets on each of 127.0.0.2-9: ClientHello, cookie, ClientHello with the cookie,
    /// nothing more. Returns how many got the server's flight (a handshake accepted).
    static func round(client: SecureSessionConfiguration, port: UInt16) throws -> Int {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var sessions: [SecureSession] = []
        for host in 2...9 {
            for _ in 0..<8 {
                let socket = try bound(to: "127.0.0.\(host)")
                sockets.append(socket)
                let session = try SecureSession(connectingWith: client, now: Instant(nanoseconds: 1))
                sessions.append(session)
                for datagram in datagrams(in: session.start(now: Instant(nanoseconds: 1))) { send(datagram, on: socket, to: port) }
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        for (socket, session) in zip(sockets, sessions) {
            guard let verify = receive(on: socket) else { continue }
            for datagram in datagrams(in: session.receive(verify, now: Instant(nanoseconds: 2))) { send(datagram, on: socket, to: port) }
        }
        Thread.sleep(forTimeInterval: 0.3)
        // The server's flight came: the handshake is half-open now.
        return sockets.filter { receive(on: $0) != nil }.count
    }

    static func datagrams(in actions: [SecureSessionAction]) -> [[UInt8]] {
        actions.compactMap { action in
            if case .transmit(let bytes) = action { return bytes }
            return nil
        }
    }

    static func bound(to host: String) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { throw ProcessFailure("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw ProcessFailure("bind \(host)")
        }
        return socket
    }

    static func send(_ datagram: [UInt8], on socket: Int32, to port: UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(socket, datagram, datagram.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// One datagram waiting, or nil.
    static func receive(on socket: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}
