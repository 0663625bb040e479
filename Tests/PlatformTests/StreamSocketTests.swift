import Foundation
import Testing
@testable import Platform

@Suite(.serialized) struct StreamSocketTests {
    /// Drives the loop until `condition` holds or the bound is reached.
    func pump(_ loop: EventLoop<Int>, rounds: Int = 50, until condition: ([EventLoop<Int>.Event]) throws -> Bool) throws -> Bool {
        var events: [EventLoop<Int>.Event] = []
        for _ in 0..<rounds {
            try loop.wait(into: &events, maximumWaitMilliseconds: 100)
            if try condition(events) { return true }
        }
        return false
    }

    @Test func tcpConnectAcceptEchoAndClose() throws {
        for text in ["127.0.0.1:0", "[::1]:0"] {
            let listener = try StreamListener(tcp: SocketAddress.parse(text)!, backlog: 8)
            let address = try listener.localAddress()
            let loop = EventLoop<Int>(maximumSources: 4, timerCapacity: 2)
            try loop.add(fileDescriptor: listener.fileDescriptor, token: 1, interest: .read)
            let client = try StreamConnection.connect(tcp: address)
            try loop.add(fileDescriptor: client.fileDescriptor, token: 2, interest: .write)
            var server: StreamConnection? = nil
            #expect(try pump(loop) { events in
                if events.contains(where: { if case .readable(1) = $0 { return true } else { return false } }) {
                    server = try listener.accept()
                }
                return server != nil
            })
            try client.finishConnect()
            #expect(try client.write(Array("hello".utf8)[...]) == 5)
            let accepted = try #require(server)
            #expect(accepted.peer?.port == (try StreamConnection.address(of: client.fileDescriptor, peer: false)).port)
            try loop.add(fileDescriptor: accepted.fileDescriptor, token: 3, interest: .read)
            var buffer = [UInt8](repeating: 0, count: 64)
            var received: [UInt8] = []
            #expect(try pump(loop) { _ in
                if case .bytes(let count) = try accepted.read(into: &buffer) { received += buffer[0..<count] }
                return received.count == 5
            })
            #expect(received == Array("hello".utf8))
            client.shutdownWrite()
            #expect(try pump(loop) { _ in try accepted.read(into: &buffer) == .closed })
        }
    }

    @Test func unixSocketIsOwnerOnlyAndReplacesAStaleOne() throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "p2psip-unix")
        defer { try? FileSystem.removeTree(directory) }
        let path = directory + "/control.sock"
        do {
            let listener = try StreamListener(unixPath: path, mode: 0o600, backlog: 4)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let client = try StreamConnection.connect(unixPath: path)
            var accepted: StreamConnection? = nil
            for _ in 0..<100 where accepted == nil {
                accepted = try listener.accept()
                if accepted == nil { usleep(1000) }
            }
            let server = try #require(accepted)
            #expect(try client.write(Array("status\n".utf8)[...]) == 7)
            var buffer = [UInt8](repeating: 0, count: 16)
            var result = StreamConnection.ReadResult.wouldBlock
            for _ in 0..<100 where result == .wouldBlock {
                result = try server.read(into: &buffer)
                if result == .wouldBlock { usleep(1000) }
            }
            #expect(result == .bytes(7))
        }
        // The listener removed its socket file when it went away.
        #expect(!FileSystem.exists(path))
        // A stale socket (left by a crash) is replaced; a regular file is refused.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(stale) }
        _ = UnixAddress.withSocketAddress(path) { bind(stale, $0, $1) }
        #expect(FileSystem.isSocket(path))
        _ = try StreamListener(unixPath: path, mode: 0o600, backlog: 4)
        let file = directory + "/plain"
        try FileSystem.writeFileAtomically(file, [1], mode: 0o600)
        #expect(throws: PlatformError.self) { _ = try StreamListener(unixPath: file, mode: 0o600, backlog: 4) }
        #expect(throws: PlatformError.invalidPath(String(repeating: "x", count: 200))) {
            _ = try StreamConnection.connect(unixPath: String(repeating: "x", count: 200))
        }
    }

    @Test func connectingToNothingFails() throws {
        // Bind and close to find a port nobody listens on.
        let port = try StreamListener(tcp: SocketAddress.parse("127.0.0.1:0")!, backlog: 1).localAddress().port
        let client = try StreamConnection.connect(tcp: .v4(address: [127, 0, 0, 1], port: port))
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        try loop.add(fileDescriptor: client.fileDescriptor, token: 1, interest: .write)
        var events: [EventLoop<Int>.Event] = []
        try loop.wait(into: &events, maximumWaitMilliseconds: 2000)
        #expect(!events.isEmpty)
        #expect(throws: PlatformError.self) { try client.finishConnect() }
    }
}
