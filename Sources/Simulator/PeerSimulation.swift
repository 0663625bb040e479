import Crypto
import Link
import Node
import Peer
import Reload
import SIP
import SIPFront
import SIPUsage
import Storage
import Wire

/// Whole peers in one process on a simulated datagram network and clock: each is a real
/// `PeerCore` (DTLS links through mbedTLS, the Node with real ECDSA, the SIP usage with its
/// app connections, the control interface) fed the datagrams of its three sockets. Phones are
/// addresses whose datagrams the test reads and writes (`sendFromPhone`, `phoneInbox`). The
/// network delays, loses and duplicates datagrams as `SimulatedNetwork` says, every choice
/// from the seeded generator: the same seed gives the same run.
public final class PeerSimulation: EventDriven {
    enum Event {
        case datagram(to: PeerAddress, from: PeerAddress, bytes: [UInt8])
        case tick(peer: Int)
    }

    public struct SimulatedPeer {
        public let core: PeerCore<InMemoryBackend>
        public let identity: NodeIdentity
        public let overlay: IpAddressPort
        public let peerSIP: IpAddressPort
        public let phones: IpAddressPort
        public var alive = true
        var scheduledTick: Instant? = nil
        /// Answers to control requests, by connection number.
        public var controlAnswers: [Int: (status: Int32, lines: [String])] = [:]
    }

    /// Ports of a simulated host (one IPv4 address per peer).
    public static let overlayPort: UInt16 = 6084
    public static let peerSIPPort: UInt16 = 5062
    public static let phonesPort: UInt16 = 5060

    public let seed: UInt64
    public let network: SimulatedNetwork
    public let pki: SimulatedPKI
    public let overlayName: String
    public internal(set) var peers: [SimulatedPeer] = []
    /// Which peer and socket an address belongs to.
    var sockets: [PeerAddress: (peer: Int, socket: PeerSocket)] = [:]
    /// Datagrams that reached phones (any address that is no peer's), oldest first.
    public var phoneInbox: [PeerAddress: [[UInt8]]] = [:]
    var events = EventQueue<Event>()
    var random: SimulationRandom
    var nextControlConnection = 1
    public internal(set) var now: Instant = Instant(nanoseconds: 1_000_000_000)
    public var logLevel: LogLevel = .warn
    /// The log lines of every peer at or above `logLevel`, bounded (the oldest go first).
    public internal(set) var log: [String] = []
    public static let logCapacity = 10_000
    public internal(set) var datagramsDelivered = 0
    public internal(set) var datagramsLost = 0

    public init(seed: UInt64, network: SimulatedNetwork = SimulatedNetwork(), overlayName: String = "sim.p2psip") throws(CryptoError) {
        self.seed = seed
        self.network = network
        self.overlayName = overlayName
        random = SimulationRandom(seed: seed)
        let pkiRandom = try RandomGenerator(source: .fixed(random.bytes(RandomGenerator.minimumFixedSeedBytes)))
        pki = try SimulatedPKI(overlay: overlayName, random: pkiRandom, now: Simulation.wallBase)
    }

    public var time: NodeTime { Simulation.time(at: now) }

    public static func host(_ index: Int) -> (UInt8, UInt8, UInt8, UInt8) {
        (10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index))
    }

    static func address(_ index: Int, port: UInt16) -> IpAddressPort {
        let (a, b, c, d) = host(index)
        return .ipv4(a, b, c, d, port: port)
    }

    /// A peer of user `user` (its certificate's user name is `user@overlay`); peer 0 starts the
    /// overlay, the others join through it. With `sipPassword`, the peer runs a SIP front whose
    /// one account is its own user (RFC 7904 §3.3).
    @discardableResult
    public func addPeer(user: String, sipPassword: String? = nil, node: NodeConfiguration? = nil) throws(PeerSimulationError) -> Int {
        let index = peers.count
        let overlay = PeerSimulation.address(index, port: PeerSimulation.overlayPort)
        let peerSIP = PeerSimulation.address(index, port: PeerSimulation.peerSIPPort)
        let phones = PeerSimulation.address(index, port: PeerSimulation.phonesPort)
        var nodeConfiguration = node ?? NodeConfiguration(overlayName: overlayName)
        nodeConfiguration.mayStartOverlay = index == 0
        var configuration = PeerCoreConfiguration(
            node: nodeConfiguration, advertise: overlay, bootstrap: index == 0 ? [] : [peers[0].overlay], maximumLinks: 32,
            maximumHandshakes: 16)
        if let sipPassword { configuration.sip = try sipConfiguration(user: user, password: sipPassword, phones: phones, peerSIP: peerSIP) }
        let identity: NodeIdentity
        let verifier: IdentityVerifier
        let peerRandom: RandomGenerator
        do throws(CryptoError) {
            identity = try pki.makeIdentity(user: "\(user)@\(overlayName)")
            verifier = try pki.makeVerifier()
            peerRandom = try RandomGenerator(source: .fixed(random.bytes(RandomGenerator.minimumFixedSeedBytes)))
        } catch {
            throw .identity(error)
        }
        let core = try PeerSimulation.core(configuration, identity: identity, verifier: verifier, random: peerRandom, now: time)
        peers.append(SimulatedPeer(core: core, identity: identity, overlay: overlay, peerSIP: peerSIP, phones: phones))
        sockets[PeerAddress(overlay)] = (index, .overlay)
        sockets[PeerAddress(peerSIP)] = (index, .peerSIP)
        sockets[PeerAddress(phones)] = (index, .phones)
        perform(peers[index].core.start(now: time), by: index)
        return index
    }

    static func core(
        _ configuration: PeerCoreConfiguration, identity: NodeIdentity, verifier: IdentityVerifier, random: RandomGenerator, now: NodeTime
    ) throws(PeerSimulationError) -> PeerCore<InMemoryBackend> {
        do throws(LinkError) {
            return try PeerCore(configuration: configuration, identity: identity, verifier: verifier, random: random, backend: InMemoryBackend(), now: now)
        } catch {
            throw .core(error)
        }
    }

    func sipConfiguration(user: String, password: String, phones: IpAddressPort, peerSIP: IpAddressPort) throws(PeerSimulationError) -> SIPUsageConfiguration {
        let account: SIPAccount
        do throws(SIPError) {
            let uri = SIPURI(user: Array(user.utf8), host: Array(overlayName.utf8))
            account = SIPAccount(username: Array(user.utf8), secret: .password(Array(password.utf8)), addressOfRecord: try AddressOfRecord(uri: uri))
        } catch {
            throw .sip(error)
        }
        let host = phones.text.split(separator: ":").first.map(String.init) ?? "?"
        return SIPUsageConfiguration(
            domain: overlayName, phoneHost: host, phonePort: phones.port, phonesListening: phones.text, accounts: [account],
            digestAlgorithms: [.sha256, .md5], appCandidate: peerSIP, keyLog: false)
    }

    /// A datagram from a phone at `phone` (any address that is no peer's) to the phones'
    /// socket of `peer`, after the network's delay.
    public func sendFromPhone(_ bytes: [UInt8], phone: IpAddressPort, to peer: Int) {
        transmit(bytes, from: PeerAddress(phone), to: PeerAddress(peers[peer].phones))
    }

    /// The datagrams that reached `phone`, taken out of the inbox.
    public func takePhoneDatagrams(_ phone: IpAddressPort) -> [[UInt8]] {
        phoneInbox.removeValue(forKey: PeerAddress(phone)) ?? []
    }

    /// A control request to `peer`; the answer lands in its `controlAnswers` under the
    /// returned connection number (`run(until:)` it is there).
    @discardableResult
    public func control(_ peer: Int, _ words: [String]) -> Int {
        let connection = nextControlConnection
        nextControlConnection += 1
        perform(peers[peer].core.control(ControlRequest(connection: connection, words: words), now: time), by: peer)
        return connection
    }

    /// Runs for `milliseconds` of simulated time.
    public func run(milliseconds: UInt64) {
        _ = runEvents(milliseconds: milliseconds) { false }
    }

    /// Runs until `condition` holds (checked after every event) or `milliseconds` pass.
    @discardableResult
    public func run(milliseconds: UInt64, until condition: () -> Bool) -> Bool {
        runEvents(milliseconds: milliseconds, until: condition)
    }

    /// A peer crashes: it gets nothing more and sends nothing more.
    public func kill(_ peer: Int) {
        peers[peer].alive = false
    }
}

/// Why a simulated peer could not be made.
public enum PeerSimulationError: Error {
    case identity(CryptoError)
    case core(LinkError)
    case sip(SIPError)
}
