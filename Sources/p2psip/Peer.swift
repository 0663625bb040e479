import Config
import Crypto
import HTTPS
import Link
import Node
import Peer
import Platform
import Reload
import SIPFront
import SIPUsage
import Storage
import Wire

/// A running peer: the peer core (Peer's PeerCore: links, node, SIP usage, control requests;
/// no I/O) driven from one single-threaded poll loop that owns the sockets, the control
/// socket, the clock and the signals. Everything the core returns is performed here in order.
final class Peer {
    static let overlayToken = 1
    static let phoneToken = 2
    static let peerSIPToken = 3
    /// The loop wakes at least this often (control socket timeouts, the stop deadline).
    static let maximumSleepMilliseconds: UInt64 = 1000
    /// After SIGINT/SIGTERM: time for the Leave messages (§10.9) to be acknowledged.
    static let leaveGraceMilliseconds: UInt64 = 1500
    /// Datagrams read per socket and wake-up before other work gets a turn.
    static let maximumDatagramsPerWakeUp = 256

    let setup: PeerSetup
    let loop: EventLoop<Int>
    let socket: UDPSocket
    let control: ControlServer
    let core: PeerCore<LMDBBackend>
    /// The SIP sockets (`--sip-accounts`): phones, and SIP connections between peers.
    let sipSockets: PeerSIPSockets?
    var stopAt: Instant? = nil
    /// storage-sync = periodic: when the LMDB environment is fsynced next (Peer+Storage).
    var nextStorageSync: Instant? = nil
    var receiveBuffer = [UInt8](repeating: 0, count: UDPSocket.maximumDatagramBytes)
    /// The revocation list's fetch in progress (Peer+Revocation), at most one at a time.
    var revocationFetch: HTTPSClient? = nil
    /// Jitter of the revocation list's fetches.
    let random: RandomGenerator

    init(_ setup: PeerSetup, random: RandomGenerator) throws(CommandFailure) {
        self.setup = setup
        self.random = random
        let now = Peer.time()
        // Control connections and listener, the overlay socket, two SIP sockets, the
        // revocation list's fetch, and spare.
        let loop = EventLoop<Int>(maximumSources: ControlServer.maximumConnections + 7, timerCapacity: setup.board.maximumTimers)
        self.loop = loop
        do throws(PlatformError) {
            try loop.watchSignals()
            socket = try UDPSocket(binding: setup.listen)
            try loop.add(fileDescriptor: socket.fileDescriptor, token: Peer.overlayToken, interest: .read)
            control = try ControlServer(path: setup.controlPath)
            try control.register(in: loop)
            sipSockets = try setup.sip.map { sip throws(PlatformError) in try PeerSIPSockets(sip, loop: loop) }
        } catch {
            throw .failed(error.description)
        }
        let backend = try Peer.openRecordStore(setup)
        var configuration = setup.coreConfiguration
        if let sip = setup.sip, let sipSockets { configuration.sip = sip.usageConfiguration(setup, sockets: sipSockets) }
        do throws(LinkError) {
            core = try PeerCore(
                configuration: configuration, identity: setup.identity, verifier: setup.verifier, random: random, backend: backend, now: now)
        } catch {
            throw .failed("links: \(error.description)")
        }
        var refresh = RevocationRefresh(
            source: setup.revocationSource?.url, periodMilliseconds: UInt64(setup.board.revocationRefreshSeconds) * 1000, now: now.monotonic)
        refresh.listInUse(setup.verifier.revocationList)
        core.revocation = refresh
    }

    static func time() -> NodeTime {
        NodeTime(monotonic: Clock.monotonicNow(), wall: Clock.wallNow())
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
        let millis = Clock.wallNow().millisecondsSince1970
        Console.out("\(millis / 1000).\(Peer.threeDigits(millis % 1000)) \(name): \(text)")
    }

    static func threeDigits(_ value: UInt64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }

    /// Runs until SIGINT/SIGTERM (then leaves the overlay cleanly) or a fatal socket error.
    func run() -> Int32 {
        let listening = (try? socket.localAddress())?.description ?? setup.listen.description
        log(.info, "peer \(core.nodeId.hex) (\(setup.identity.userName)) in overlay \(setup.overlay.instanceName) on \(listening), "
            + "reachable at \(setup.advertise.text), control \(setup.controlPath), process \(ProcessControl.processIdentifier)")
        if let sipSockets, let sip = setup.sip {
            let users = sip.accounts.map { String(decoding: $0.username, as: UTF8.self) }.joined(separator: ", ")
            log(.info, "SIP: phones register at \(sipSockets.phoneAddress.description) (domain \(setup.overlay.instanceName), accounts: \(users)); "
                + "SIP connections between peers at \(sipSockets.appCandidate.text)")
        }
        if let source = setup.revocationSource {
            log(.info, "revocation list: fetched from \(source.url) (connecting to \(source.address.description)) now and every "
                + "\(setup.board.revocationRefreshSeconds) s +-25 %")
        } else {
            log(.info, "revocation list: not fetched (\(setup.revocationSourceAbsent)); SIGHUP reloads \(PeerSetup.revocationListFile)")
        }
        perform(core.start(now: Peer.time()))
        var events: [EventLoop<Int>.Event] = []
        while true {
            let now = Peer.time()
            if let stopAt, stopAt <= now.monotonic { break }
            do throws(PlatformError) {
                try loop.wait(into: &events, maximumWaitMilliseconds: sleepMilliseconds(now))
            } catch {
                log(.error, "event loop: \(error.description)")
                return 1
            }
            for event in events { handle(event) }
            let after = Peer.time()
            if let deadline = core.nextDeadline(now: after), deadline <= after.monotonic { perform(core.tick(now: after)) }
            syncStorageIfDue(after.monotonic)
            refreshRevocationList(now: after)
            control.expire(now: after.monotonic, loop: loop)
        }
        revocationFetch?.close()
        perform(core.closeAll(now: Peer.time()))
        syncStorage()
        log(.info, "stopped")
        return 0
    }

    func handle(_ event: EventLoop<Int>.Event) {
        switch event {
        case .readable(let token) where token == Peer.overlayToken: readDatagrams(socket, token: token)
        case .readable(let token) where token == Peer.phoneToken: if let sipSockets { readDatagrams(sipSockets.phones, token: token) }
        case .readable(let token) where token == Peer.peerSIPToken: if let sipSockets { readDatagrams(sipSockets.peers, token: token) }
        case .readable(let token), .writable(let token), .failed(let token):
            if token == Peer.revocationToken { revocationEvent(event) } else { controlEvent(token) }
        case .timer: break
        case .signal(.shutdown(let signal)): stop(signal: signal)
        case .signal(.reload): reload()
        }
    }

    func sleepMilliseconds(_ now: NodeTime) -> Int {
        var wait = Peer.maximumSleepMilliseconds
        // While a fetch runs its deadline counts, not the (passed) time it was due.
        let nextFetch = core.revocation?.source == nil || revocationFetch != nil ? nil : core.revocation?.nextFetch
        for deadline in [core.nextDeadline(now: now), stopAt, nextStorageSync, nextFetch, revocationFetch?.deadline] {
            guard let deadline else { continue }
            wait = min(wait, now.monotonic.millisecondsUntil(deadline))
        }
        return Int(wait)
    }

    /// Up to `maximumDatagramsPerWakeUp` datagrams of one socket, each to the core.
    func readDatagrams(_ from: UDPSocket, token: Int) {
        for _ in 0..<Peer.maximumDatagramsPerWakeUp {
            let received: UDPSocket.Received
            do throws(PlatformError) {
                received = try from.receive(into: &receiveBuffer)
            } catch {
                log(.warn, "socket: \(error.description)")
                return
            }
            switch received {
            case .none: return
            case .truncated(let source): log(.debug, "datagram from \(source.description) larger than \(receiveBuffer.count) bytes dropped")
            case .datagram(let count, let source):
                let bytes = Array(receiveBuffer[0..<count])
                let now = Peer.time()
                switch token {
                case Peer.phoneToken: perform(core.receive(phone: bytes, from: PeerAddressing.phone(source), now: now))
                case Peer.peerSIPToken: perform(core.receive(peerSIP: bytes, from: PeerAddressing.peerAddress(source), now: now))
                default: perform(core.receive(overlay: bytes, from: PeerAddressing.peerAddress(source), now: now))
                }
            }
        }
    }

    /// What the core asked for, in order.
    func perform(_ outputs: [PeerOutput]) {
        for output in outputs {
            switch output {
            case .transmit(let socketName, let bytes, let to):
                guard let address = PeerAddressing.socketAddress(to), let from = udpSocket(socketName) else { continue }
                do throws(PlatformError) {
                    _ = try from.send(bytes, to: address)
                } catch {
                    log(.debug, "send to \(address.description): \(error.description)")
                }
            case .log(let level, let text): log(level, text)
            case .controlAnswer(let connection, let status, let lines): control.answer(connection, status: status, lines: lines, loop: loop)
            case .keyLog(let line): writeKeyLog(line)
            }
        }
    }

    func udpSocket(_ name: PeerSocket) -> UDPSocket? {
        switch name {
        case .overlay: return socket
        case .phones: return sipSockets?.phones
        case .peerSIP: return sipSockets?.peers
        }
    }

    func controlEvent(_ token: Int) {
        if token == ControlServer.listenerToken {
            control.accept(into: loop, now: Peer.time().monotonic)
            return
        }
        guard control.owns(token) else { return }
        for request in control.service(token, loop: loop, now: Peer.time().monotonic) {
            perform(core.control(ControlRequest(connection: request.connection, words: request.words), now: Peer.time()))
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
        perform(core.leave(now: now))
        stopAt = now.monotonic.adding(milliseconds: Peer.leaveGraceMilliseconds)
    }

    /// SIGHUP: the revocation list in the identity directory again; links whose certificate
    /// it now refuses are closed.
    func reload() {
        do throws(CommandFailure) {
            let loaded = try PeerSetup.loadRevocationList(IdentityDirectory(path: setup.identityPath), into: setup.verifier)
            log(.info, loaded ? "revocation list reloaded" : "no revocation list to reload")
            core.revocation?.listInUse(setup.verifier.revocationList)
        } catch {
            log(.warn, "revocation list not reloaded: \(error.message)")
        }
        perform(core.identitiesChanged(now: Peer.time()))
    }

    func writeKeyLog(_ line: String) {
        guard let path = setup.keyLogPath else { return }
        do throws(PlatformError) {
            try FileSystem.append(path, Array((line + "\n").utf8), mode: 0o600)
        } catch {
            log(.warn, "key log: \(error.description)")
        }
    }
}

/// The two SIP sockets of a peer with a SIP front: where phones send, and the SIP connections
/// between peers (its bound address is our AppAttach candidate).
struct PeerSIPSockets {
    let phones: UDPSocket
    let peers: UDPSocket
    let phoneAddress: SocketAddress
    let appCandidate: IpAddressPort

    init(_ setup: PeerSIPSetup, loop: EventLoop<Int>) throws(PlatformError) {
        phones = try UDPSocket(binding: setup.phoneListen)
        peers = try UDPSocket(binding: setup.appListen)
        phoneAddress = try phones.localAddress()
        let bound = try peers.localAddress()
        let advertised: SocketAddress = setup.appAdvertiseHost.isIPv6
            ? .v6(address: setup.appAdvertiseHost.addressBytes, port: bound.port)
            : .v4(address: setup.appAdvertiseHost.addressBytes, port: bound.port)
        appCandidate = PeerAddressing.ipAddressPort(advertised)
        try loop.add(fileDescriptor: phones.fileDescriptor, token: Peer.phoneToken, interest: .read)
        try loop.add(fileDescriptor: peers.fileDescriptor, token: Peer.peerSIPToken, interest: .read)
    }
}
