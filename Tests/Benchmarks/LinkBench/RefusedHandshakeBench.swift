// What a handshake from a certificate of another CA costs the peer that refuses it (the
// server end only), with trust deferred to the owner as on overlay links: refused by the
// link authenticator after the handshake completed (the check inside off: the old path), and
// refused inside the handshake (`checkPeersDuringHandshake`). Certificates are issued here
// by Crypto's CertificateIssuer: the link authenticator needs the overlay's reload URIs.
import BenchSupport
import Foundation
import Crypto
import Link
import Reload
import Wire

struct RefusalSetup {
    static let now = CertificateTime(year: 2026, month: 6, day: 1, hour: 12)
    let client: SecureSessionConfiguration
    let server: SecureSessionConfiguration
    let authenticator: LinkAuthenticator

    /// `inside`: the server's configuration judges chains inside the handshake.
    init(inside: Bool) throws {
        let random = try RandomGenerator(source: .operatingSystem)
        let notBefore = CertificateTime(year: 2026, month: 1, day: 1)
        let notAfter = CertificateTime(year: 2027, month: 1, day: 1)
        func root(_ name: String) throws -> CertificateIssuer {
            try CertificateIssuer.createRoot(
                key: try PrivateKey.generateP256(using: random), commonName: name, serial: [1], notBefore: notBefore,
                notAfter: notAfter, using: random)
        }
        func node(_ issuer: CertificateIssuer, _ byte: UInt8) throws -> (PrivateKey, [UInt8]) {
            let key = try PrivateKey.generateP256(using: random)
            let der = try issuer.issueNodeCertificate(
                publicKey: try key.publicKey(), nodeIds: [[UInt8](repeating: byte, count: 16)], userName: "n\(byte)@bench.example.org",
                overlay: "bench.example.org", serial: [byte], notBefore: notBefore, notAfter: notAfter, using: random)
            return (key, der)
        }
        let ours = try root("ours"), theirs = try root("theirs")
        let (serverKey, serverDER) = try node(ours, 1)
        let (clientKey, clientDER) = try node(theirs, 2)
        let verifier = try IdentityVerifier(overlayName: "bench.example.org", nodeIdLength: 16, roots: [ours.certificate], selfSigned: nil)
        authenticator = LinkAuthenticator(verifier: verifier, ownNodeId: NodeId(bytes: [UInt8](repeating: 1, count: 16))!)
        server = try SecureSessionConfiguration.peerPair(certificateDER: serverDER, privateKey: serverKey, random: random, keyLog: false).server
        client = try SecureSessionConfiguration.peerPair(certificateDER: clientDER, privateKey: clientKey, random: random, keyLog: false).client
        if inside { try server.checkPeersDuringHandshake(HandshakeCertificateCheck(authenticator: authenticator, now: RefusalSetup.now)) }
    }
}

/// Refused handshakes per CPU second of the refusing server: only its calls are timed
/// (cookie exchange, its flights, and, without the check inside, the owner's check after).
func refusedHandshakesPerSecond(_ count: Int, _ setup: RefusalSetup, inside: Bool) throws -> Double {
    let now = Instant(nanoseconds: 1_000_000_000)
    let listener = try DatagramListener(configuration: setup.server, halfOpenLimit: 4, now: now)
    var serverSeconds = 0.0
    for index in 0..<count {
        let address = PeerAddress(bytes: [10, 2, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF), 0x17, 0xc4])!
        let client = try SecureSession(connectingWith: setup.client, now: now)
        var toServer = transmissions(client.start(now: now))
        var server: SecureSession? = nil
        var refused = false
        for _ in 0..<20 where !toServer.isEmpty && !refused {
            var toClient: [[UInt8]] = []
            for datagram in toServer {
                let start = Stopwatch.threadCPUSeconds()
                if let server {
                    toClient += transmissions(server.receive(datagram, now: now))
                    if server.state == .established && !inside {
                        // The owner's check on `.established`, as a peer makes it.
                        if case .success = setup.authenticator.authenticate(server.peerCertificates!, expected: nil, now: RefusalSetup.now) {
                            throw BenchFailure("a chain of another CA was accepted")
                        }
                        _ = server.close(now: now)
                        refused = true
                    }
                    if case .failed(.certificateRefused) = server.state { refused = true }
                } else {
                    switch listener.receive(datagram, from: address, now: now) {
                    case .reply(let datagrams): toClient += datagrams
                    case .accepted(let session, let actions):
                        server = session
                        toClient += transmissions(actions)
                    case .dropped(let reason): throw BenchFailure("listener dropped a datagram: \(reason)")
                    case .makeRoom: throw BenchFailure("half-open limit reached")
                    }
                }
                serverSeconds += Stopwatch.threadCPUSeconds() - start
            }
            toServer = []
            for datagram in toClient { toServer += transmissions(client.receive(datagram, now: now)) }
        }
        guard refused else { throw BenchFailure("handshake \(index) was not refused (server: \(server?.state.description ?? "none"))") }
    }
    return Double(count) / serverSeconds
}

func refusedHandshakes(_ options: Options) throws {
    let after = try RefusalSetup(inside: false)
    let inside = try RefusalSetup(inside: true)
    _ = try refusedHandshakesPerSecond(5, after, inside: false)  // warm-up
    var afterRates: [Double] = [], insideRates: [Double] = []
    for _ in 0..<options.runs {
        afterRates.append(try refusedHandshakesPerSecond(options.handshakes, after, inside: false))
        insideRates.append(try refusedHandshakesPerSecond(options.handshakes, inside, inside: true))
    }
    let a = median(afterRates), i = median(insideRates)
    print(String(format: "refused handshakes (client certificate of another CA), the refusing server's CPU only, one core:"))
    print(String(format: "    refused after the handshake (link authenticator on .established): %.0f/s (%.2f ms each, %.0f...%.0f)",
                 a, 1_000 / a, afterRates.min()!, afterRates.max()!))
    print(String(format: "    refused inside the handshake (verify callback, fatal alert unknown_ca): %.0f/s (%.2f ms each, %.0f...%.0f)",
                 i, 1_000 / i, insideRates.min()!, insideRates.max()!))
}
