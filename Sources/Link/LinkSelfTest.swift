import Crypto
import Wire

/// Link end to end on the board itself, for `p2psip selftest`: a mismatch between the Swift
/// code and the linked mbedTLS (struct layout, callbacks, a mis-linked library) shows here,
/// not as links that never come up. No sockets: both ends run in memory.
public enum LinkSelfTest {
    /// A mutual-auth handshake (DTLS through a DatagramListener with its cookie exchange, or
    /// TLS), each end verifying the other's chain against the root; data both ways; equal key
    /// log lines at both ends; for DTLS a replayed record discarded. nil when all is right.
    public static func handshake(transport: SecureSessionConfiguration.Transport, using random: RandomGenerator) -> String? {
        let pair: LinkSelfTestPair
        let expectedClientLeaf: [UInt8]
        let expectedServerLeaf: [UInt8]
        do throws(LinkError) {
            let (client, clientLeaf) = try configuration(.client, transport, LinkSelfTestCredentials.aliceCertificatePEM,
                                                         LinkSelfTestCredentials.aliceKeyPEM, random)
            let (server, serverLeaf) = try configuration(.server, transport, LinkSelfTestCredentials.bobCertificatePEM,
                                                         LinkSelfTestCredentials.bobKeyPEM, random)
            expectedClientLeaf = clientLeaf
            expectedServerLeaf = serverLeaf
            pair = try LinkSelfTestPair(client: client, server: server, now: Instant(nanoseconds: 1_000_000_000))
        } catch {
            return error.description
        }
        pair.run()
        guard let server = pair.server, pair.client.state == .established, server.state == .established else {
            return "handshake: client \(pair.client.state.description), server \(pair.server?.state.description ?? "none")"
        }
        if pair.clientPeer?.leaf != expectedServerLeaf || pair.clientPeer?.verifiedByTrustAnchors != true { return "client saw another server" }
        if pair.serverPeer?.leaf != expectedClientLeaf || pair.serverPeer?.verifiedByTrustAnchors != true { return "server saw another client" }
        if pair.clientKeyLog.count != 1 || pair.clientKeyLog != pair.serverKeyLog { return "key log lines differ" }
        if pair.clientKeyLog[0].utf8.count != NSSKeyLog.lineLength { return "key log line of \(pair.clientKeyLog[0].utf8.count) bytes" }
        return exchange(pair, server: server, replay: transport == .datagram)
    }

    /// Data both ways, then (DTLS) the client's last record again, which must be discarded.
    static func exchange(_ pair: LinkSelfTestPair, server: SecureSession, replay: Bool) -> String? {
        do throws(LinkError) {
            pair.absorbClient(try pair.client.send(Array("ping".utf8), now: pair.now))
            pair.run()
            pair.absorbServer(try server.send(Array("pong".utf8), now: pair.now))
            pair.run()
        } catch {
            return error.description
        }
        if pair.serverPlaintext != [Array("ping".utf8)] { return "server received \(pair.serverPlaintext.count) records" }
        if pair.clientPlaintext != [Array("pong".utf8)] { return "client received \(pair.clientPlaintext.count) records" }
        if replay {
            pair.deliverToServer(pair.lastToServer)
            if pair.serverPlaintext.count != 1 { return "replayed DTLS record accepted" }
        }
        return nil
    }

    /// A configuration with key logging and the self-test root as trust anchor, and the DER of
    /// its own certificate.
    static func configuration(
        _ role: SecureSessionConfiguration.Role, _ transport: SecureSessionConfiguration.Transport,
        _ certificatePEM: String, _ keyPEM: String, _ random: RandomGenerator
    ) throws(LinkError) -> (SecureSessionConfiguration, [UInt8]) {
        let certificate: Certificate
        let key: PrivateKey
        let root: Certificate
        do throws(CryptoError) {
            certificate = try Certificate.parse(Array(certificatePEM.utf8))
            key = try PrivateKey(encoded: Array(keyPEM.utf8))
            root = try Certificate.parse(Array(LinkSelfTestCredentials.rootCertificatePEM.utf8))
        } catch {
            throw .invalidConfiguration("self-test credentials: \(error.description)")
        }
        let configuration = try SecureSessionConfiguration(
            role: role, transport: transport, certificateChain: [certificate], privateKey: key,
            trust: .anchors([root], revocationListDER: nil), random: random, keyLog: true)
        return (configuration, certificate.der)
    }
}
