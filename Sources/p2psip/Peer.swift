import Config
import Crypto
import Link
import Node
import Platform
import Reload
import Storage
import SIP
import SIPFront
import Wire

/// A running peer: one UDP socket, the overlay links on it (Link's LinkManager: DTLS,
/// framing, Simple Reliability), the overlay node (Node's OverlayNode: routing, Chord,
/// requests), and the control socket, all on one single-threaded event loop. The Node and
/// the LinkManager do no I/O; this class moves bytes and events between them and the kernel:
///
///     socket -> LinkManager.receive -> (established: identity check) -> OverlayNode.linkUp
///                                   -> (delivered) -> OverlayNode.receive -> actions
///     actions: send -> LinkManager.send -> socket; connect -> LinkManager.connect; ...
///
/// Links are numbered here (LinkId) and bound to the Node-ID their certificate proves.
final class Peer {
    struct PendingRequest {
        let connection: Int
        let what: String
    }

    /// What a Node request of the SIP front is for.
    enum SIPRequest {
        case store(storeId: UInt32, addressOfRecord: String)
        case remove(addressOfRecord: String)
        case lookup(lookupId: UInt32, addressOfRecord: String)
        case appAttach(NodeId)
    }

    static let socketToken = 1
    /// The loop wakes at least this often (control socket timeouts, the stop deadline).
    static let maximumSleepMilliseconds: UInt64 = 1000
    /// After SIGINT/SIGTERM: time for the Leave messages (§10.9) to be acknowledged.
    static let leaveGraceMilliseconds: UInt64 = 1500
    /// Datagrams read per wake-up before other work gets a turn.
    static let maximumDatagramsPerWakeUp = 256

    let setup: PeerSetup
    let loop: EventLoop<Int>
    let socket: UDPSocket
    let links: LinkManager
    let node: OverlayNode<LMDBBackend>
    let control: ControlServer
    let ownAddress: PeerAddress
    /// The SIP front, with `--sip-accounts` (PeerSIP).
    let sip: PeerSIP?

    var linkIds: [PeerAddress: LinkId] = [:]
    var addresses: [LinkId: PeerAddress] = [:]
    var linkNodes: [LinkId: NodeId] = [:]
    /// The certificates each link's peer presented, checked again when the revocation list changes.
    var linkChains: [LinkId: [Certificate]] = [:]
    var nextLinkId: LinkId = 1
    /// Links we opened and have not seen established yet, with the Node-ID the other end must
    /// prove (§6.5.1.11), when the Node gave one.
    var pendingConnects: [PeerAddress: NodeId?] = [:]
    var pendingRequests: [RequestHandle: PendingRequest] = [:]
    /// Node requests of the SIP front (Peer+SIP), by what they are for.
    var sipRequests: [RequestHandle: SIPRequest] = [:]
    var linksRefused: UInt64 = 0
    var lastRefusal = ""
    var stopAt: Instant? = nil
    /// storage-sync = periodic: when the LMDB environment is fsynced next (Peer+Storage).
    var nextStorageSync: Instant? = nil
    var receiveBuffer = [UInt8](repeating: 0, count: UDPSocket.maximumDatagramBytes)

    init(_ setup: PeerSetup, random: RandomGenerator) throws(CommandFailure) {
        self.setup = setup
        let now = Peer.time()
        loop = EventLoop<Int>(maximumSources: ControlServer.maximumConnections + 6, timerCapacity: setup.board.maximumTimers)
        do throws(PlatformError) {
            try loop.watchSignals()
            socket = try UDPSocket(binding: setup.listen)
            try loop.add(fileDescriptor: socket.fileDescriptor, token: Peer.socketToken, interest: .read)
            control = try ControlServer(path: setup.controlPath)
            try control.register(in: loop)
        } catch {
            throw .failed(error.description)
        }
        ownAddress = PeerAddressing.peerAddress(setup.advertise)
        let backend = try Peer.openRecordStore(setup)
        let certificate: Certificate
        do throws(CryptoError) {
            certificate = try Certificate(der: setup.identity.certificateChain[0])
        } catch {
            throw .failed("certificate: \(error.description)")
        }
        do throws(LinkError) {
            let keyLog = setup.keyLogPath != nil
            // Trust is checked here, not by mbedTLS: IdentityVerifier knows the overlay's
            // roots, self-signed policy, revocation list and bad nodes (§11.3, §11.3.1), and
            // the Node-ID the Node expects on this link.
            let client = try SecureSessionConfiguration(
                role: .client, transport: .datagram, certificateChain: [certificate], privateKey: setup.identity.privateKey,
                trust: .deferredToOwner, random: random, keyLog: keyLog)
            let server = try SecureSessionConfiguration(
                role: .server, transport: .datagram, certificateChain: [certificate], privateKey: setup.identity.privateKey,
                trust: .deferredToOwner, random: random, keyLog: keyLog)
            let nodeConfiguration = setup.nodeConfiguration
            let configuration = LinkManagerConfiguration(
                client: client, server: server, link: OverlayLinkConfiguration(codec: nodeConfiguration.codec),
                maximumLinks: setup.board.maximumLinks, maximumHandshakes: min(setup.board.maximumHandshakes, setup.board.maximumLinks))
            if let problem = configuration.problem { throw LinkError.invalidConfiguration(problem) }
            links = try LinkManager(configuration: configuration, now: now.monotonic)
            node = OverlayNode(
                identity: setup.identity, configuration: nodeConfiguration, verifier: setup.verifier, random: random,
                ownCandidates: [setup.advertise], bootstrapAddresses: setup.bootstrap.filter { $0 != setup.advertise }, now: now,
                backend: backend)
        } catch {
            throw .failed("links: \(error.description)")
        }
        sip = try Peer.startSIP(setup, node: node, loop: loop, random: random, now: now.monotonic)
    }

    static func startSIP(
        _ setup: PeerSetup, node: OverlayNode<LMDBBackend>, loop: EventLoop<Int>, random: RandomGenerator, now: Instant
    ) throws(CommandFailure) -> PeerSIP? {
        guard let sipSetup = setup.sip else { return nil }
        let sip = try PeerSIP(
            sipSetup, identity: setup.identity, domain: setup.overlay.instanceName, keyLog: setup.keyLogPath != nil, random: random, now: now)
        do throws(PlatformError) {
            try loop.add(fileDescriptor: sip.phoneSocket.fileDescriptor, token: PeerSIP.phoneToken, interest: .read)
            try loop.add(fileDescriptor: sip.appSocket.fileDescriptor, token: PeerSIP.appToken, interest: .read)
        } catch {
            throw .failed("SIP: \(error.description)")
        }
        node.serveApplication(PeerSIPSetup.application, candidates: [sip.appCandidate])
        return sip
    }

    static func time() -> NodeTime {
        NodeTime(monotonic: Clock.monotonicNow(), wallMilliseconds: Clock.wallMillisecondsSinceEpoch())
    }

    func log(_ level: LogLevel, _ text: String) {
        guard level <= setup.logLevel else { return }
        let name: String
        switch level {
        case .error: name = "error"
        case .warn: name = "warn"
        case .info: name = "info"
        case .debug: name = "debug"
        }
        let millis = Clock.wallMillisecondsSinceEpoch()
        Console.out("\(millis / 1000).\(Peer.threeDigits(millis % 1000)) \(name): \(text)")
    }

    static func threeDigits(_ value: UInt64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }

    /// Runs until SIGINT/SIGTERM (then leaves the overlay cleanly) or a fatal socket error.
    func run() -> Int32 {
        let listening = (try? socket.localAddress())?.description ?? setup.listen.description
        log(.info, "peer \(node.nodeId.hex) (\(setup.identity.userName)) in overlay \(setup.overlay.instanceName) on \(listening), "
            + "reachable at \(setup.advertise.text), control \(setup.controlPath), process \(ProcessControl.processIdentifier)")
        if let sip {
            let users = sip.setup.accounts.map { String(decoding: $0.username, as: UTF8.self) }.joined(separator: ", ")
            log(.info, "SIP: phones register at \(sip.phoneAddress.description) (domain \(setup.overlay.instanceName), accounts: \(users)); "
                + "SIP connections between peers at \(sip.appCandidate.text)")
        }
        perform(node.start(now: Peer.time()))
        var events: [EventLoop<Int>.Event] = []
        while true {
            let now = Peer.time()
            if let stopAt, stopAt <= now.monotonic { break }
            do throws(PlatformError) {
                try loop.wait(into: &events, maximumWaitMilliseconds: sleepMilliseconds(now.monotonic))
            } catch {
                log(.error, "event loop: \(error.description)")
                return 1
            }
            for event in events {
                switch event {
                case .readable(let token) where token == Peer.socketToken: readDatagrams()
                case .readable(let token) where token == PeerSIP.phoneToken: if let sip { readPhoneDatagrams(sip) }
                case .readable(let token) where token == PeerSIP.appToken: if let sip { readAppDatagrams(sip) }
                case .readable(let token), .writable(let token), .failed(let token): controlEvent(token)
                case .timer: break
                case .signal(.shutdown(let signal)): stop(signal: signal)
                case .signal(.reload): reload()
                }
            }
            let after = Peer.time()
            if let deadline = links.nextDeadline, deadline <= after.monotonic { handle(links.tick(now: after.monotonic)) }
            if let deadline = node.nextDeadline, deadline <= after.monotonic { perform(node.tick(now: after)) }
            if let sip, let deadline = sip.appLinks.nextDeadline, deadline <= after.monotonic { handleApp(sip.appLinks.tick(now: after.monotonic)) }
            sipTick()
            syncStorageIfDue(after.monotonic)
            control.expire(now: after.monotonic, loop: loop)
        }
        if let sip { handleApp(sip.appLinks.closeAll(now: Peer.time().monotonic)) }
        handle(links.closeAll(now: Peer.time().monotonic))
        syncStorage()
        log(.info, "stopped")
        return 0
    }

    func sleepMilliseconds(_ now: Instant) -> Int {
        var wait = Peer.maximumSleepMilliseconds
        for deadline in [links.nextDeadline, node.nextDeadline, stopAt, nextStorageSync] {
            guard let deadline else { continue }
            wait = min(wait, now.millisecondsUntil(deadline))
        }
        if let sipWait = sipSleepMilliseconds(now) { wait = min(wait, sipWait) }
        return Int(wait)
    }

    func readDatagrams() {
        for _ in 0..<Peer.maximumDatagramsPerWakeUp {
            let received: UDPSocket.Received
            do throws(PlatformError) {
                received = try socket.receive(into: &receiveBuffer)
            } catch {
                log(.warn, "overlay socket: \(error.description)")
                return
            }
            switch received {
            case .none: return
            case .truncated(let from): log(.debug, "datagram from \(from.description) larger than \(receiveBuffer.count) bytes dropped")
            case .datagram(let count, let from):
                let now = Peer.time()
                handle(links.receive(Array(receiveBuffer[0..<count]), from: PeerAddressing.peerAddress(from), now: now.monotonic))
            }
        }
    }

    /// SIGINT/SIGTERM: Leave (§10.9), a short grace for it to be acknowledged, then close the
    /// links. A second signal stops at once.
    func stop(signal: Int32) {
        let now = Peer.time()
        if stopAt != nil {
            stopAt = now.monotonic
            return
        }
        log(.info, "signal \(signal): leaving the overlay")
        perform(node.leave(now: now))
        stopAt = now.monotonic.adding(milliseconds: Peer.leaveGraceMilliseconds)
    }

    /// SIGHUP: the revocation list in the identity directory again.
    func reload() {
        do throws(CommandFailure) {
            let loaded = try PeerSetup.loadRevocationList(IdentityDirectory(path: setup.identityPath), into: setup.verifier)
            log(.info, loaded ? "revocation list reloaded" : "no revocation list to reload")
        } catch {
            log(.warn, "revocation list not reloaded: \(error.message)")
        }
        for (link, address) in addresses { recheck(link, address: address) }
    }
}
