import Crypto
import Foundation
import HTTPS
import Link
import Platform
import Testing
import TestSupport

/// The HTTPS client driven from its owner's poll loop (as the peer fetches the revocation
/// list): it never blocks the loop, and it ends by its time limit or at the first error.
@Suite struct HTTPSClientLoopTests {
    static func client(to address: SocketAddress, loop: EventLoop<Int>, limit: UInt64) throws -> HTTPSClient {
        let root = try TestPKI.load().root.certificate()
        let tls = try SecureSessionConfiguration(
            role: .client, transport: .stream, certificateChain: [], privateKey: nil, trust: .anchors([root], revocationListDER: nil),
            random: RandomGenerator(source: .operatingSystem))
        return try HTTPSClient(
            Array("GET /crl HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), to: address, serverName: "overlay.example.org",
            configuration: tls, timeLimitMilliseconds: limit, maximumResponseBodyBytes: 4096, loop: loop, token: 7)
    }

    /// A server that accepts (in the kernel) and never answers the handshake: the loop keeps
    /// running at its own pace, and the exchange fails at its deadline naming the step.
    @Test func aSilentServerEndsAtTheTimeLimitWithoutBlockingTheLoop() throws {
        let listener = try StreamListener(tcp: SocketAddress.parse("127.0.0.1:0")!, backlog: 4)
        let loop = EventLoop<Int>(maximumSources: 4, timerCapacity: 4)
        let client = try Self.client(to: try listener.localAddress(), loop: loop, limit: 300)
        let started = Clock.monotonicNow()
        try client.start()
        var events: [EventLoop<Int>.Event] = []
        var wakeUps = 0
        var failure: HTTPSError? = nil
        for _ in 0..<100 where failure == nil {
            try loop.wait(into: &events, maximumWaitMilliseconds: 20)
            wakeUps += 1
            for event in events {
                if case .failed(let error) = client.service(event) { failure = error }
            }
            if failure == nil { failure = client.expire(now: Clock.monotonicNow()) }
        }
        let elapsed = started.millisecondsUntil(Clock.monotonicNow())
        #expect(failure == .timedOut(step: "TLS handshake with \(try listener.localAddress().description)", milliseconds: 300))
        #expect(elapsed >= 300 && elapsed < 1_000, "ended after \(elapsed) ms")
        // The owner's loop woke every 20 ms or so meanwhile: nothing blocked it.
        #expect(wakeUps >= 10, "\(wakeUps) wake-ups")
        #expect(client.expire(now: Clock.monotonicNow()) != nil)
    }

    /// Nobody listening: the connect fails at once with errno's text.
    @Test func aRefusedConnectionFailsAtOnce() throws {
        var listener: StreamListener? = try StreamListener(tcp: SocketAddress.parse("127.0.0.1:0")!, backlog: 4)
        let address = try listener!.localAddress()
        listener = nil
        #expect(listener == nil)
        let loop = EventLoop<Int>(maximumSources: 4, timerCapacity: 4)
        let client = try Self.client(to: address, loop: loop, limit: 5_000)
        try client.start()
        var events: [EventLoop<Int>.Event] = []
        var failure: HTTPSError? = nil
        for _ in 0..<50 where failure == nil {
            try loop.wait(into: &events, maximumWaitMilliseconds: 20)
            for event in events {
                if case .failed(let error) = client.service(event) { failure = error }
            }
        }
        #expect(failure == .failed(step: "connect to \(address.description)", reason: "Connection refused"))
    }
}
