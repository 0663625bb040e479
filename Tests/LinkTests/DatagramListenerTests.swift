import Foundation
import Testing
@testable import Link
import Crypto
import Wire
import TestSupport

@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct DatagramListenerTests {
    static let start = Instant(nanoseconds: 5_000_000_000)

    static func address(_ index: Int) -> PeerAddress {
        PeerAddress(bytes: [10, UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF), 0x17, 0xc4])!
    }

    /// A fresh client's ClientHello (without cookie) and the client.
    static func hello(_ configuration: SecureSessionConfiguration) throws -> (SecureSession, [UInt8]) {
        let client = try SecureSession(connectingWith: configuration, now: start)
        let datagrams = SecureSession.transmissions(in: client.start(now: start))
        try #require(datagrams.count == 1)
        return (client, datagrams[0])
    }

    /// Runs the cookie exchange for `client` at `address`: returns the ClientHello with cookie.
    static func helloWithCookie(_ client: SecureSession, first: [UInt8], at address: PeerAddress, listener: DatagramListener) throws -> [UInt8] {
        guard case .reply(let verify) = listener.receive(first, from: address, now: start) else {
            Issue.record("no HelloVerifyRequest")
            return []
        }
        let second = SecureSession.transmissions(in: client.receive(verify[0], now: start))
        try #require(second.count == 1)
        return second[0]
    }

    @Test func clientHelloWithoutCookieGetsHelloVerifyRequestAndNoState() throws {
        let pki = try TestPKI.load()
        let listener = try DatagramListener(configuration: try TestConfigurations.make(pki.bob, role: .server), now: Self.start)
        let (_, hello) = try Self.hello(try TestConfigurations.make(pki.alice, role: .client))
        #expect(ClientHelloCookie.parse(hello)?.cookie == [])
        guard case .reply(let datagrams) = listener.receive(hello, from: Self.address(1), now: Self.start) else {
            Issue.record("expected a HelloVerifyRequest")
            return
        }
        // RFC 6347 §4.2.1: one record, content type handshake (22), msg_type hello_verify_request (3).
        #expect(datagrams.count == 1)
        #expect(datagrams[0][0] == 22 && datagrams[0][LinkLimits.dtlsRecordHeaderBytes] == 3)
        // The HelloVerifyRequest is small: no amplification towards a forged source address.
        #expect(datagrams[0].count <= hello.count)
        #expect(listener.counters.helloVerifySent == 1)
        #expect(listener.counters.cookiesValid == 0 && listener.counters.handshakesAccepted == 0)
        #expect(listener.halfOpenCount == 0)
    }

    @Test func floodOfClientHellosFromManyAddressesCreatesNoState() throws {
        let pki = try TestPKI.load()
        let listener = try DatagramListener(configuration: try TestConfigurations.make(pki.bob, role: .server), halfOpenLimit: 4, now: Self.start)
        let (client, hello) = try Self.hello(try TestConfigurations.make(pki.alice, role: .client))
        let floodSize = 2_000
        for index in 0..<floodSize {
            guard case .reply = listener.receive(hello, from: Self.address(index), now: Self.start) else {
                Issue.record("ClientHello \(index) was not answered with a HelloVerifyRequest")
                return
            }
        }
        // A cookie is bound to the address it was made for: replayed from elsewhere it is no good.
        let withCookie = try Self.helloWithCookie(client, first: hello, at: Self.address(1), listener: listener)
        for index in 2..<100 {
            guard case .reply = listener.receive(withCookie, from: Self.address(index), now: Self.start) else {
                Issue.record("a cookie for another address was accepted")
                return
            }
        }
        // Garbage is dropped before mbedTLS sees it.
        for length in [0, 1, 13, 25, 100, 2_000] {
            #expect(listener.receive([UInt8](repeating: 0x16, count: length), from: Self.address(7), now: Self.start) == .dropped(.notClientHello))
        }
        #expect(listener.counters.helloVerifySent == UInt64(floodSize + 1 + 98))
        #expect(listener.counters.cookiesValid == 0 && listener.counters.handshakesAccepted == 0)
        #expect(listener.counters.droppedNotClientHello == 6)
        #expect(listener.halfOpenCount == 0)
        // An honest client still gets in.
        let outcome = listener.receive(withCookie, from: Self.address(1), now: Self.start)
        guard case .accepted(let session, _) = outcome else {
            Issue.record("honest client refused after the flood")
            return
        }
        #expect(listener.halfOpenCount == 1 && session.state == .handshaking)
    }

    @Test func halfOpenLimitHolds() throws {
        let pki = try TestPKI.load()
        let listener = try DatagramListener(configuration: try TestConfigurations.make(pki.bob, role: .server), halfOpenLimit: 2, now: Self.start)
        var clients: [SecureSession] = []
        var accepted: [SecureSession] = []
        var flights: [[[UInt8]]] = []
        for index in 0..<3 {
            let (client, hello) = try Self.hello(try TestConfigurations.make(pki.alice, role: .client))
            clients.append(client)
            let withCookie = try Self.helloWithCookie(client, first: hello, at: Self.address(index), listener: listener)
            switch listener.receive(withCookie, from: Self.address(index), now: Self.start) {
            case .accepted(let session, let actions):
                accepted.append(session)
                flights.append(SecureSession.transmissions(in: actions))
            case .dropped(let reason):
                #expect(index == 2 && reason == .halfOpenLimit)
            case .reply, .makeRoom:
                Issue.record("valid cookie answered with another HelloVerifyRequest, or room asked for without mayEvict")
            }
        }
        #expect(accepted.count == 2 && listener.halfOpenCount == 2)
        #expect(listener.counters.cookiesValid == 3 && listener.counters.droppedOverLimit == 1)

        // The first handshake completes: its slot is free again.
        try Self.complete(clients[0], accepted[0], flight: flights[0])
        #expect(accepted[0].state == .established && listener.halfOpenCount == 1)
        // The third client retransmits its ClientHello after its timer; now it gets in.
        let later = Self.start.adding(milliseconds: 1_000)
        let retransmitted = SecureSession.transmissions(in: clients[2].tick(now: later))
        try #require(retransmitted.count == 1)
        switch listener.receive(retransmitted[0], from: Self.address(2), now: later) {
        case .accepted(let third, _): accepted.append(third)
        default: Issue.record("retransmitted ClientHello not accepted with a free slot")
        }
        #expect(listener.halfOpenCount == 2)
        // A half-open session the owner drops gives its slot back.
        accepted.removeLast()
        #expect(listener.halfOpenCount == 1)
    }

    static func complete(_ client: SecureSession, _ server: SecureSession, flight: [[UInt8]]) throws {
        var toClient = flight
        for _ in 0..<20 {
            var toServer: [[UInt8]] = []
            for datagram in toClient { toServer += SecureSession.transmissions(in: client.receive(datagram, now: start)) }
            toClient = []
            for datagram in toServer { toClient += SecureSession.transmissions(in: server.receive(datagram, now: start)) }
            if toClient.isEmpty && toServer.isEmpty { break }
        }
    }

    @Test func cookieParserTakesNoTruncatedOrAlteredHello() throws {
        let pki = try TestPKI.load()
        let (_, hello) = try Self.hello(try TestConfigurations.make(pki.alice, role: .client))
        #expect(ClientHelloCookie.parse(hello) != nil)
        for length in 0..<60 {
            #expect(ClientHelloCookie.parse(Array(hello[0..<length])) == nil, "prefix of \(length) bytes")
        }
        var notHandshake = hello
        notHandshake[0] = 23  // application_data
        var laterEpoch = hello
        laterEpoch[4] = 1
        var fragmented = hello
        fragmented[LinkLimits.dtlsRecordHeaderBytes + 8] = 1  // fragment_offset
        var longSessionId = hello
        longSessionId[LinkLimits.dtlsRecordHeaderBytes + LinkLimits.dtlsHandshakeHeaderBytes + 34] = 33
        for altered in [notHandshake, laterEpoch, fragmented, longSessionId] {
            #expect(ClientHelloCookie.parse(altered) == nil)
        }
    }
}

extension DatagramListenerOutcome: Equatable {
    public static func == (lhs: DatagramListenerOutcome, rhs: DatagramListenerOutcome) -> Bool {
        switch (lhs, rhs) {
        case (.reply(let a), .reply(let b)): return a == b
        case (.accepted(let a, let x), .accepted(let b, let y)): return a === b && x == y
        case (.dropped(let a), .dropped(let b)): return a == b
        default: return false
        }
    }
}
