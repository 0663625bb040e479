import Foundation
import Testing
@testable import Link
import Crypto
import Wire
import TestSupport

/// The HTTPS enrollment exchange (RFC 6940 §11.3): the server does not ask for a client
/// certificate (the client has none yet) and the client checks the server against the root.
@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct ServerOnlyAuthenticationTests {
    static func server(_ identity: TestPKI.Identity) throws -> SecureSessionConfiguration {
        return try SecureSessionConfiguration(
            role: .server, transport: .stream, certificateChain: [try identity.certificate()], privateKey: try identity.key(),
            trust: .notRequested, random: try RandomGenerator(source: .operatingSystem))
    }

    static func client(anchors: [TestPKI.Identity]) throws -> SecureSessionConfiguration {
        return try SecureSessionConfiguration(
            role: .client, transport: .stream, certificateChain: [], privateKey: nil,
            trust: .anchors(try anchors.map { try $0.certificate() }, revocationListDER: nil),
            random: try RandomGenerator(source: .operatingSystem))
    }

    @Test func clientWithoutCertificateReachesServerThatAsksForNone() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair(client: Self.client(anchors: [pki.root]), server: Self.server(pki.bob))
        connection.streamChunkBytes = 100
        connection.start()
        connection.run(steps: 2_000)
        #expect(connection.handshakeCompleted)
        let clientSaw = try #require(connection.clientEvents.completed)
        let serverSaw = try #require(connection.serverEvents.completed)
        #expect(clientSaw.leaf == (try pki.bob.der) && clientSaw.verifiedByTrustAnchors)
        #expect(serverSaw.certificates.isEmpty && !serverSaw.verifiedByTrustAnchors && serverSaw.leaf.isEmpty)
        try connection.clientSends("GET /crl HTTP/1.1")
        connection.run(steps: 2_000)
        try connection.serverSends("HTTP/1.1 200 OK")
        connection.run(steps: 2_000)
        #expect(connection.serverEvents.plaintext.texts == ["GET /crl HTTP/1.1"])
        #expect(connection.clientEvents.plaintext.texts == ["HTTP/1.1 200 OK"])
    }

    @Test func clientRefusesServerOfAnotherRoot() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair(client: Self.client(anchors: [pki.root]), server: Self.server(pki.mallory))
        connection.start()
        connection.run(steps: 2_000)
        #expect(!connection.handshakeCompleted)
        guard case .certificateRejected = connection.clientEvents.failure else {
            Issue.record("client failure: \(String(describing: connection.clientEvents.failure))")
            return
        }
    }

    @Test func combinationsThatWouldWeakenOverlayLinksAreRefused() throws {
        let pki = try TestPKI.load()
        let random = try RandomGenerator(source: .operatingSystem)
        let root = try pki.root.certificate()
        // No certificate: only for a stream client that checks anchors.
        for (role, transport, trust) in [
            (SecureSessionConfiguration.Role.server, SecureSessionConfiguration.Transport.stream,
             SecureSessionConfiguration.Trust.anchors([root], revocationListDER: nil)),
            (.client, .datagram, .anchors([root], revocationListDER: nil)),
            (.client, .stream, .deferredToOwner),
        ] {
            #expect(throws: LinkError.self) {
                try SecureSessionConfiguration(
                    role: role, transport: transport, certificateChain: [], privateKey: nil, trust: trust, random: random)
            }
        }
        // Not asking for the peer's certificate: only a stream server.
        for (role, transport) in [(SecureSessionConfiguration.Role.client, SecureSessionConfiguration.Transport.stream),
                                  (.server, .datagram)] {
            #expect(throws: LinkError.self) {
                try SecureSessionConfiguration(
                    role: role, transport: transport, certificateChain: [try pki.bob.certificate()],
                    privateKey: try pki.bob.key(), trust: .notRequested, random: random)
            }
        }
        // A chain without its key.
        #expect(throws: LinkError.self) {
            try SecureSessionConfiguration(
                role: .client, transport: .stream, certificateChain: [try pki.bob.certificate()], privateKey: nil,
                trust: .anchors([root], revocationListDER: nil), random: random)
        }
    }
}
