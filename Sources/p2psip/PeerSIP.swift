import Crypto
import Link
import Node
import Platform
import Reload
import SIP
import SIPFront
import Wire

/// The SIP side of a running peer (RFC 7904): the phones' UDP socket and the SIP front
/// (SIPFront: registrar and proxy), and the SIP connections to other peers: a UDP socket of
/// their own with DTLS associations (AppLinkManager), one SIP message per record, set up by
/// AppAttach (RFC 6940 §6.5.2, application 5060, RFC 7904 §5.1) and bound to the Node-ID the
/// other end's certificate proves. Peer+SIP and Peer+AppLinks move bytes and events between
/// these, the Node and the sockets.
final class PeerSIP {
    static let phoneToken = 2
    static let appToken = 3
    /// SIP messages waiting for a connection to a peer (AppAttach and DTLS handshake under
    /// way): per peer, and peers at once. Over either, the message is dropped (SIP over UDP
    /// retransmits) and counted.
    static let queuedPerPeer = 16
    static let peersWaiting = 32
    /// How long an AppAttach and the connection after it may take before the peer counts as
    /// unreachable (480, RFC 3261 §21.4.18): the Node gives up on a request after five
    /// transmissions (15 s with the default overlay-reliability-timer, RFC 6940 §6.2.1).
    static let attachMilliseconds: UInt64 = 20_000
    /// After the AppAttach answer: the other end opens the connection at once (§6.5.1.13).
    static let connectAfterAnswerMilliseconds: UInt64 = 10_000

    let setup: PeerSIPSetup
    let phoneSocket: UDPSocket
    let appSocket: UDPSocket
    let appLinks: AppLinkManager
    var front: SIPFront
    /// Our AppAttach candidate: the app socket's address as other peers reach it.
    let appCandidate: IpAddressPort
    let phoneAddress: SocketAddress

    /// Established (or handshaking) connections and the peer each is bound to.
    var peerAt: [PeerAddress: NodeId] = [:]
    var addressOf: [NodeId: PeerAddress] = [:]
    /// Connections we open (we answered their AppAttach), with the Node-ID they must prove.
    var connecting: [PeerAddress: NodeId] = [:]
    /// Peers we sent an AppAttach to (or that answered one), until their connection comes.
    var attaching: [NodeId: Instant] = [:]
    /// SIP messages for peers without a connection yet.
    var waiting: [NodeId: [[UInt8]]] = [:]
    var counters = Counters()
    /// The last SIP events ("NUMBER WALL-MS TEXT"), for `sip-events` on the control socket.
    var events: [String] = []
    var eventCount: UInt64 = 0
    static let eventCapacity = 256

    struct Counters {
        var phoneDatagramsIn: UInt64 = 0
        var phoneDatagramsOut: UInt64 = 0
        var overlayMessagesIn: UInt64 = 0
        var overlayMessagesOut: UInt64 = 0
        var appAttachesSent: UInt64 = 0
        var appAttachesFailed: UInt64 = 0
        var queuedDropped: UInt64 = 0
        var connectionsRefused: UInt64 = 0
        var registrationsStored: UInt64 = 0
        var registrationsRefused: UInt64 = 0
        var lookups: UInt64 = 0
        var lookupsNotFound: UInt64 = 0
    }

    init(_ setup: PeerSIPSetup, identity: NodeIdentity, domain: String, keyLog: Bool, random: RandomGenerator, now: Instant) throws(CommandFailure) {
        self.setup = setup
        do throws(PlatformError) {
            phoneSocket = try UDPSocket(binding: setup.phoneListen)
            appSocket = try UDPSocket(binding: setup.appListen)
            phoneAddress = try phoneSocket.localAddress()
            let bound = try appSocket.localAddress()
            let advertised: SocketAddress = setup.appAdvertiseHost.isIPv6
                ? .v6(address: setup.appAdvertiseHost.addressBytes, port: bound.port)
                : .v4(address: setup.appAdvertiseHost.addressBytes, port: bound.port)
            appCandidate = PeerAddressing.ipAddressPort(advertised)
        } catch {
            throw .failed("SIP: \(error.description)")
        }
        let secret: [UInt8]
        do throws(CryptoError) {
            secret = try random.bytes(32)
        } catch {
            throw .failed("SIP: random: \(error.description)")
        }
        do throws(LinkError) {
            let certificate = try PeerSIP.certificate(identity)
            // As on overlay links, trust is checked by the peer (the overlay's IdentityVerifier
            // and the Node-ID expected), not by mbedTLS.
            let client = try SecureSessionConfiguration(
                role: .client, transport: .datagram, certificateChain: [certificate], privateKey: identity.privateKey,
                trust: .deferredToOwner, random: random, datagramMTU: LinkLimits.appLinkDatagramMTU, keyLog: keyLog)
            let server = try SecureSessionConfiguration(
                role: .server, transport: .datagram, certificateChain: [certificate], privateKey: identity.privateKey,
                trust: .deferredToOwner, random: random, datagramMTU: LinkLimits.appLinkDatagramMTU, keyLog: keyLog)
            appLinks = try AppLinkManager(configuration: AppLinkConfiguration(client: client, server: server), now: now)
        } catch {
            throw .failed("SIP connections: \(error.description)")
        }
        var configuration = SIPFrontConfiguration(
            domain: Array(domain.utf8), host: Array(setup.phoneHost.utf8), port: phoneAddress.port, nodeId: identity.nodeId,
            secret: secret, accounts: setup.accounts)
        configuration.digestAlgorithms = setup.digestAlgorithms
        front = SIPFront(configuration: configuration)
    }

    static func certificate(_ identity: NodeIdentity) throws(LinkError) -> Certificate {
        do throws(CryptoError) {
            return try Certificate(der: identity.certificateChain[0])
        } catch {
            throw .invalidConfiguration("own certificate: \(error.description)")
        }
    }

    /// Seconds since 1970: the SIP front's clock (digest nonces carry it).
    static func seconds() -> Int64 {
        return Int64(Clock.wallMillisecondsSinceEpoch() / 1000)
    }

    /// A phone's source as the front sees it: the link layer's address bytes as its key,
    /// the printable host and port for Via received/rport (RFC 3261 §18.2.1, RFC 3581).
    static func phone(_ address: SocketAddress) -> PhoneAddress {
        return PhoneAddress(bytes: PeerAddressing.peerAddress(address).bytes, host: Array(address.hostText.utf8), port: address.port)
    }

    static func socketAddress(_ phone: PhoneAddress) -> SocketAddress? {
        guard let address = PeerAddress(bytes: phone.bytes) else { return nil }
        return PeerAddressing.socketAddress(address)
    }

    /// Binds a connection to the peer its certificate proved; a previous one is forgotten.
    func bind(_ address: PeerAddress, to peer: NodeId) {
        if let previous = addressOf[peer], previous != address { peerAt[previous] = nil }
        if let previousPeer = peerAt[address], previousPeer != peer { addressOf[previousPeer] = nil }
        peerAt[address] = peer
        addressOf[peer] = address
        attaching[peer] = nil
    }

    func unbind(_ address: PeerAddress) -> NodeId? {
        connecting[address] = nil
        guard let peer = peerAt.removeValue(forKey: address) else { return nil }
        if addressOf[peer] == address { addressOf[peer] = nil }
        return peer
    }

    /// The first line of a SIP message, for the log ("INVITE sip:bob@overlay SIP/2.0").
    static func firstLine(_ bytes: [UInt8]) -> String {
        let end = bytes.prefix(200).firstIndex(of: 0x0D) ?? min(bytes.count, 200)
        let line = bytes[..<end].map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }
        return String(decoding: line, as: UTF8.self)
    }

    static func isResponse(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("SIP/2.0 ".utf8)) }

    /// A request that gets an answer: all but ACK (RFC 3261 §17.1.1.3).
    static func expectsReply(_ bytes: [UInt8]) -> Bool { !isResponse(bytes) && !bytes.starts(with: Array("ACK ".utf8)) }
}
