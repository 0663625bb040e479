import Foundation
import Testing
@testable import Link
import Crypto
import Wire
import TestSupport

@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct RetransmissionAndReplayTests {
    static func connection() throws -> SessionPair {
        let pki = try TestPKI.load()
        return try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client),
                              server: try TestConfigurations.make(pki.bob, role: .server))
    }

    @Test func lostServerFlightIsRetransmittedAfterTheTimer() throws {
        let connection = try Self.connection()
        connection.start()
        connection.deliverAllToServer()  // ClientHello -> HelloVerifyRequest
        connection.deliverAllToClient()  // -> ClientHello with cookie
        connection.deliverAllToServer()  // -> accepted; the server's flight is in flight
        let server = try #require(connection.server)
        let lost = connection.toClient
        #expect(!lost.isEmpty)  // ServerHello ... ServerHelloDone (packed into one datagram here)
        connection.toClient = []  // the network loses the whole flight

        // RFC 6347 §4.2.4.1: retransmit after the initial timer value, 1 s.
        #expect(server.nextDeadline == connection.now.adding(milliseconds: 1_000))
        connection.advance(milliseconds: 999)
        connection.tickBoth()
        #expect(connection.toClient.isEmpty)
        connection.advance(milliseconds: 1)
        connection.tickBoth()
        #expect(connection.toClient.count == lost.count)
        #expect(server.counters.retransmissionTimeouts == 1)
        // The next retransmission waits twice as long.
        #expect(server.nextDeadline == connection.now.adding(milliseconds: 2_000))
        connection.run()
        #expect(connection.handshakeCompleted)
    }

    @Test func lostClientHelloIsRetransmitted() throws {
        let connection = try Self.connection()
        connection.start()
        #expect(connection.client.nextDeadline == connection.now.adding(milliseconds: 1_000))
        connection.toServer = []
        connection.advance(milliseconds: 1_000)
        connection.tickBoth()
        #expect(connection.toServer.count == 1)
        connection.run()
        #expect(connection.handshakeCompleted)
        #expect(connection.client.counters.retransmissionTimeouts == 1)
    }

    @Test func handshakeWithoutAnswerTimesOutWithinItsBound() throws {
        let pki = try TestPKI.load()
        let timeouts = HandshakeTimeouts(initialRetransmitMilliseconds: 1_000, maximumRetransmitMilliseconds: 4_000, totalMilliseconds: 60_000)
        let connection = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client, timeouts: timeouts),
                                        server: try TestConfigurations.make(pki.bob, role: .server))
        connection.start()
        var ticks = 0
        while let deadline = connection.client.nextDeadline, ticks < 20 {
            connection.now = deadline
            connection.tickBoth()
            ticks += 1
        }
        // 1 + 2 + 4 s of retransmissions, then mbedTLS gives up (RFC 6347 §4.2.4).
        #expect(connection.clientEvents.failure == .handshakeTimeout)
        #expect(connection.client.counters.retransmissionTimeouts == 3)
        #expect(connection.clientEvents.transmitted == 3)  // the ClientHello and 2 retransmissions
        #expect(connection.client.nextDeadline == nil)
    }

    @Test func totalHandshakeTimeBoundsAStalledHandshake() throws {
        let pki = try TestPKI.load()
        let timeouts = HandshakeTimeouts(initialRetransmitMilliseconds: 1_000, maximumRetransmitMilliseconds: 60_000, totalMilliseconds: 5_000)
        let connection = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client, transport: .stream, timeouts: timeouts),
                                        server: try TestConfigurations.make(pki.bob, role: .server, transport: .stream))
        connection.start()
        #expect(connection.client.nextDeadline == connection.now.adding(milliseconds: 5_000))
        connection.advance(milliseconds: 5_000)
        connection.tickBoth()
        #expect(connection.clientEvents.failure == .handshakeTimeout)
    }

    @Test func replayedApplicationRecordIsDiscarded() throws {
        let connection = try Self.connection()
        connection.start()
        connection.run()
        try connection.clientSends("first")
        try connection.clientSends("second")
        let first = connection.toServer[0]
        let second = connection.toServer[1]
        connection.toServer = []
        // RFC 6347 §4.1.2.6: reordering within the window is fine, a duplicate is not.
        connection.deliverToServer(second)
        connection.deliverToServer(first)
        connection.deliverToServer(first)
        connection.deliverToServer(second)
        #expect(connection.serverEvents.plaintext.texts == ["second", "first"])
        // A forged record (one bit flipped) is silently discarded (§4.1.2.7); the link stays up.
        try connection.clientSends("third")
        var forged = connection.toServer.removeFirst()
        forged[forged.count - 1] ^= 0x01
        connection.deliverToServer(forged)
        #expect(connection.server?.state == .established)
        #expect(connection.serverEvents.plaintext.count == 2)
        try connection.clientSends("fourth")
        connection.run()
        #expect(connection.serverEvents.plaintext.texts == ["second", "first", "fourth"])
    }
}
