import Foundation
import Testing
@testable import Platform
import Wire

@Suite(.serialized) struct EventLoopTests {
    @Test func udpRoundTripIPv4AndIPv6() throws {
        for text in ["127.0.0.1:0", "[::1]:0"] {
            let address = try #require(SocketAddress.parse(text))
            let a = try UDPSocket(binding: address)
            let b = try UDPSocket(binding: address)
            let loop = EventLoop<Int>(maximumSources: 2, timerCapacity: 4)
            try loop.add(fileDescriptor: b.fileDescriptor, token: 7, interest: .read)
            _ = loop.schedule(afterMilliseconds: 2000, 0)
            #expect(try a.send([1, 2, 3], to: try b.localAddress()))
            var events: [EventLoop<Int>.Event] = []
            try loop.wait(into: &events, maximumWaitMilliseconds: 2000)
            guard case .readable(let token)? = events.first else {
                Issue.record("no readable event for \(text): \(events)")
                continue
            }
            #expect(token == 7)
            var buffer = [UInt8](repeating: 0, count: 16)
            guard case .datagram(let count, let from) = try b.receive(into: &buffer) else {
                Issue.record("no datagram")
                continue
            }
            #expect(Array(buffer[0..<count]) == [1, 2, 3])
            #expect(from == (try a.localAddress()))
            guard case .none = try b.receive(into: &buffer) else {
                Issue.record("second read should find nothing")
                continue
            }
        }
    }

    @Test func oversizedDatagramIsReportedAsTruncated() throws {
        let a = try UDPSocket(binding: SocketAddress.parse("127.0.0.1:0")!)
        let b = try UDPSocket(binding: SocketAddress.parse("127.0.0.1:0")!)
        #expect(try a.send([UInt8](repeating: 1, count: 100), to: try b.localAddress()))
        var small = [UInt8](repeating: 0, count: 10)
        var result = UDPSocket.Received.none
        for _ in 0..<100 {
            result = try b.receive(into: &small)
            if case .none = result { usleep(1000) } else { break }
        }
        guard case .truncated = result else {
            Issue.record("expected truncated, got \(result)")
            return
        }
    }

    @Test func sleepsUntilTheNearestDeadline() throws {
        let loop = EventLoop<String>(maximumSources: 1, timerCapacity: 4)
        _ = loop.schedule(afterMilliseconds: 80, "late")
        _ = loop.schedule(afterMilliseconds: 30, "early")
        var events: [EventLoop<String>.Event] = []
        let start = Clock.monotonicNow()
        try loop.wait(into: &events, maximumWaitMilliseconds: 5000)
        let elapsed = Clock.monotonicNow().milliseconds(since: start)
        guard case .timer("early")? = events.first else {
            Issue.record("expected the early timer, got \(events)")
            return
        }
        #expect(events.count == 1)
        #expect(elapsed >= 30)
        #expect(loop.pendingTimers == 1)
    }

    @Test func maximumWaitBoundsASleepWithNothingToDo() throws {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        var events: [EventLoop<Int>.Event] = []
        try loop.wait(into: &events, maximumWaitMilliseconds: 20)
        #expect(events.isEmpty)
    }

    @Test func sourceLimitIsEnforced() throws {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        let a = try UDPSocket(binding: SocketAddress.parse("127.0.0.1:0")!)
        let b = try UDPSocket(binding: SocketAddress.parse("127.0.0.1:0")!)
        try loop.add(fileDescriptor: a.fileDescriptor, token: 1, interest: .read)
        #expect(throws: PlatformError.limitReached("event loop sources (1)")) {
            try loop.add(fileDescriptor: b.fileDescriptor, token: 2, interest: .read)
        }
        loop.remove(token: 1)
        try loop.add(fileDescriptor: b.fileDescriptor, token: 2, interest: .read)
    }

    @Test func signalsArriveAsEvents() throws {
        let loop = EventLoop<Int>(maximumSources: 1, timerCapacity: 1)
        try loop.watchSignals()
        #expect(ProcessControl.signalSelf(.hangup))
        #expect(ProcessControl.signalSelf(.terminate))
        var signals: [EventLoop<Int>.Signal] = []
        var events: [EventLoop<Int>.Event] = []
        for _ in 0..<4 where signals.count < 2 {
            try loop.wait(into: &events, maximumWaitMilliseconds: 1000)
            for case .signal(let signal) in events { signals.append(signal) }
        }
        #expect(signals.contains(.reload))
        #expect(signals.contains(.shutdown(signal: SIGTERM)))
    }
}

@Suite struct SocketAddressTests {
    @Test func parsesAndPrints() {
        #expect(SocketAddress.parse("192.0.2.1:6084") == .v4(address: [192, 0, 2, 1], port: 6084))
        #expect(SocketAddress.parse("192.0.2.1:6084")?.description == "192.0.2.1:6084")
        #expect(SocketAddress.parse("[::1]:5060")?.description == "[::1]:5060")
        #expect(SocketAddress.parse("[2001:db8::1]:1")?.addressBytes.count == 16)
        #expect(SocketAddress.parse(host: "::1", port: 9)?.isIPv6 == true)
    }

    @Test(arguments: ["", ":80", "1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "300.1.1.1:5", "[::1]", "::1:80", "[::1:80", "host:80", "1.2.3.4:8a", "[::1]x:80"])
    func refusesMalformed(text: String) {
        #expect(SocketAddress.parse(text) == nil)
    }
}

@Suite struct FileSystemTests {
    @Test func writeReadModeAndRemove() throws {
        let base = try FileSystem.makeTemporaryDirectory(prefix: "p2psip-fs")
        defer { try? FileSystem.removeTree(base) }
        let nested = base + "/a/b/c"
        try FileSystem.makeDirectory(nested, mode: 0o700, createParents: true)
        #expect(FileSystem.isDirectory(nested))
        try FileSystem.writeFileAtomically(nested + "/key.pem", [1, 2, 3], mode: 0o600)
        #expect(try FileSystem.readFile(nested + "/key.pem", maximumBytes: 3) == [1, 2, 3])
        #expect(throws: PlatformError.fileTooLarge(path: nested + "/key.pem", limit: 2)) {
            _ = try FileSystem.readFile(nested + "/key.pem", maximumBytes: 2)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: nested + "/key.pem")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileSystem.listDirectory(nested, maximumEntries: 10) == ["key.pem"])
        #expect(throws: PlatformError.self) { try FileSystem.makeDirectory(nested + "/key.pem", mode: 0o700, createParents: false) }
        try FileSystem.removeTree(base + "/a")
        #expect(!FileSystem.exists(base + "/a"))
        #expect(throws: PlatformError.self) { _ = try FileSystem.readFile(base + "/missing", maximumBytes: 10) }
    }

    @Test func dataDirectoryIsCreatedPrivateOrRefused() throws {
        let base = try FileSystem.makeTemporaryDirectory(prefix: "p2psip-data")
        defer { try? FileSystem.removeTree(base) }
        let data = base + "/var/lib/p2psip"
        #expect(FileSystem.dataDirectoryState(data) == .missing)
        try FileSystem.prepareDataDirectory(data)
        #expect(FileSystem.dataDirectoryState(data) == .ready)
        let attributes = try FileManager.default.attributesOfItem(atPath: data)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        try FileSystem.writeFileAtomically(base + "/file", [1], mode: 0o600)
        #expect(FileSystem.dataDirectoryState(base + "/file") == .notADirectory)
        #expect(throws: PlatformError.self) { try FileSystem.prepareDataDirectory(base + "/file") }
        #expect(throws: PlatformError.invalidPath("relative")) { try FileSystem.prepareDataDirectory("relative") }
    }

    @Test func parentDirectory() {
        #expect(FileSystem.parentDirectory(of: "/var/lib/p2psip") == "/var/lib")
        #expect(FileSystem.parentDirectory(of: "/p2psip") == "/")
        #expect(FileSystem.parentDirectory(of: "file") == ".")
    }
}
