import Foundation
import Testing
@testable import Link
import Crypto
import Wire
import TestSupport

@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct SecureSessionTests {
    @Test func dtlsMutualHandshakeAndDataBothWays() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.alice, to: pki.bob)
        #expect(connection.handshakeCompleted)
        #expect(connection.client.state == .established && connection.server?.state == .established)
        // Each side got the other's certificate, verified against the root.
        let clientSaw = try #require(connection.clientEvents.completed)
        let serverSaw = try #require(connection.serverEvents.completed)
        #expect(clientSaw.leaf == (try pki.bob.der) && clientSaw.verifiedByTrustAnchors)
        #expect(serverSaw.leaf == (try pki.alice.der) && serverSaw.verifiedByTrustAnchors)
        #expect(clientSaw.cipherSuite == "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256")
        #expect(connection.client.nextDeadline == nil)

        try connection.clientSends("a RELOAD message")
        try connection.clientSends("and another")
        connection.run()
        try connection.serverSends("an answer")
        connection.run()
        #expect(connection.serverEvents.plaintext.texts == ["a RELOAD message", "and another"])
        #expect(connection.clientEvents.plaintext.texts == ["an answer"])
        #expect(connection.clientEvents.failure == nil && connection.serverEvents.failure == nil)
        // No DTLS datagram exceeded the MTU.
        #expect(connection.wire.allSatisfy { $0.bytes.count <= Int(LinkLimits.defaultDatagramMTU) })
    }

    @Test func tlsStreamMutualHandshakeAndDataInSmallChunks() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client, transport: .stream),
                                        server: try TestConfigurations.make(pki.bob, role: .server, transport: .stream))
        connection.streamChunkBytes = 7  // TCP may cut the stream anywhere
        connection.start()
        connection.run(steps: 2_000)
        #expect(connection.handshakeCompleted)
        #expect(connection.serverEvents.completed?.leaf == (try pki.alice.der))

        // A large HTTP body: several records one way, reassembled in order.
        connection.streamChunkBytes = 1_000
        let body = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        connection.clientEvents.absorb(try connection.client.send(body, now: connection.now), outgoing: &connection.toServer)
        try connection.serverSends("HTTP/1.1 200 OK")
        connection.run(steps: 2_000)
        #expect(Array(connection.serverEvents.plaintext.joined()) == body)
        #expect(connection.clientEvents.plaintext.texts == ["HTTP/1.1 200 OK"])
    }

    @Test func certificateFromAnotherCertificateAuthorityIsRefused() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.mallory, to: pki.bob)
        #expect(connection.serverEvents.failure == .certificateRejected(.notTrusted))
        #expect(connection.serverEvents.completed == nil)
        // The server told the client why and the client's handshake failed too.
        #expect(connection.clientEvents.failure == .alertReceived(.unknownCertificateAuthority))
        #expect(connection.serverEvents.plaintext.isEmpty && connection.clientEvents.plaintext.isEmpty)
        #expect(throws: LinkError.notEstablished) { try connection.clientSends("let me in") }
        #expect(connection.listener?.halfOpenCount == 0)
    }

    @Test func serverWithCertificateFromAnotherAuthorityIsRefusedByTheClient() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.alice, to: pki.mallory)
        #expect(connection.clientEvents.failure == .certificateRejected(.notTrusted))
        #expect(connection.serverEvents.failure == .alertReceived(.unknownCertificateAuthority))
        #expect(connection.listener?.halfOpenCount == 0)
    }

    @Test func expiredCertificateIsRefused() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.carol, to: pki.bob)
        #expect(connection.serverEvents.failure == .certificateRejected(.expired))
        #expect(connection.clientEvents.failure == .alertReceived(.certificateExpired))
        #expect(connection.serverEvents.plaintext.isEmpty)
    }

    @Test func streamModeRefusesAnotherAuthorityToo() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.mallory, to: pki.bob, transport: .stream)
        #expect(connection.serverEvents.failure == .certificateRejected(.notTrusted))
        #expect(connection.clientEvents.failure != nil)
    }

    @Test func deferredTrustHandsTheSelfSignedChainToTheOwner() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.dave, to: pki.erin)
        #expect(connection.handshakeCompleted)
        #expect(connection.serverEvents.completed?.leaf == (try pki.dave.der))
        #expect(connection.serverEvents.completed?.verifiedByTrustAnchors == false)
        #expect(connection.clientEvents.completed?.leaf == (try pki.erin.der))
    }

    @Test func mismatchedKeyIsAConfigurationError() throws {
        let pki = try TestPKI.load()
        #expect(throws: LinkError.invalidConfiguration("private key does not match the first certificate of the chain")) {
            _ = try SecureSessionConfiguration(
                role: .client, transport: .datagram, certificateChain: [try pki.alice.certificate()], privateKey: try pki.bob.key(),
                trust: .anchors([try pki.root.certificate()], revocationListDER: nil), random: try RandomGenerator(source: .operatingSystem))
        }
    }

    @Test func smallMTUFragmentsTheHandshakeFlights() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client, mtu: 512),
                                        server: try TestConfigurations.make(pki.bob, role: .server, mtu: 512))
        connection.start()
        connection.run()
        #expect(connection.handshakeCompleted)
        // RFC 6347 §4.2.3: handshake messages fragmented to fit the MTU.
        #expect(connection.wire.allSatisfy { $0.bytes.count <= 512 })
        #expect(connection.serverEvents.transmitted >= 3)
        #expect(throws: LinkError.self) { _ = try TestConfigurations.make(pki.alice, role: .client, mtu: 100) }
    }

    @Test func sendChecksStateAndSize() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client),
                                        server: try TestConfigurations.make(pki.bob, role: .server))
        #expect(throws: LinkError.notEstablished) { try connection.clientSends("too early") }
        connection.start()
        connection.run()
        let limit = connection.client.maximumPlaintextPerSend
        #expect(limit > 1_100 && limit < Int(LinkLimits.defaultDatagramMTU))
        let fits = [UInt8](repeating: 0x42, count: limit)
        connection.clientEvents.absorb(try connection.client.send(fits, now: connection.now), outgoing: &connection.toServer)
        #expect(connection.toServer.count == 1 && connection.toServer[0].count <= Int(LinkLimits.defaultDatagramMTU))
        #expect(throws: LinkError.plaintextTooLarge(length: limit + 1, limit: limit)) {
            _ = try connection.client.send(fits + [0], now: connection.now)
        }
        connection.run()
        #expect(connection.serverEvents.plaintext == [fits])
    }

    @Test func closeNotifyEndsBothSides() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.alice, to: pki.bob)
        connection.clientEvents.absorb(connection.client.close(now: connection.now), outgoing: &connection.toServer)
        connection.run()
        #expect(connection.client.state == .closed)
        #expect(connection.server?.state == .closed && connection.serverEvents.closed)
        // Input after the end is counted, not processed.
        _ = connection.server?.receive([22, 254, 253], now: connection.now)
        #expect(connection.server?.counters.inputAfterEnd == 1)
    }
}

@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct ReconnectTests {
    /// RFC 6347 §4.2.8: a new ClientHello on an established association.
    @Test func clientHelloOnAnEstablishedLinkNeedsACookieToEndIt() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.alice, to: pki.bob)
        let server = try #require(connection.server)
        // Someone forging the peer's address sends a ClientHello: answered with a
        // HelloVerifyRequest, the link stays up.
        let restarted = try SecureSession(connectingWith: try TestConfigurations.make(pki.alice, role: .client), now: connection.now)
        let hello = SecureSession.transmissions(in: restarted.start(now: connection.now))
        let answer = SecureSession.transmissions(in: server.receive(hello[0], now: connection.now))
        #expect(server.state == .established)
        #expect(answer.count == 1 && answer[0][LinkLimits.dtlsRecordHeaderBytes] == 3)  // hello_verify_request
        try connection.clientSends("still here")
        connection.run()
        #expect(connection.serverEvents.plaintext.texts == ["still here"])
        // The peer really restarted (it receives at the address and returns the cookie): the
        // old session ends; the owner hands the retransmitted hello to the listener.
        let withCookie = SecureSession.transmissions(in: restarted.receive(answer[0], now: connection.now))
        let ended = server.receive(withCookie[0], now: connection.now)
        #expect(ended.last == .failed(.peerReconnected))
        #expect(server.state == .failed(.peerReconnected))
    }
}

@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct RevocationTests {
    @Test func revokedCertificateIsRefusedAndOthersStillPass() throws {
        let pki = try TestPKI.load()
        let server = try TestConfigurations.make(pki.bob, role: .server, crl: pki.revocationListDER)
        let revoked = try SessionPair(client: try TestConfigurations.make(pki.trent, role: .client), server: server)
        revoked.start()
        revoked.run()
        #expect(revoked.serverEvents.failure == .certificateRejected(.revoked))
        #expect(revoked.clientEvents.failure == .alertReceived(.certificateRevoked))
        let honest = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client), server: server)
        honest.start()
        honest.run()
        #expect(honest.handshakeCompleted)
    }

    @Test func malformedRevocationListIsAConfigurationError() throws {
        let pki = try TestPKI.load()
        #expect(throws: LinkError.self) {
            _ = try TestConfigurations.make(pki.bob, role: .server, crl: [0x30, 0x03, 0x02, 0x01, 0x00])
        }
    }
}
