import Crypto
import Foundation
import Link
import SIP
import TestSupport
import Wire

/// The attackers of dos-bench and its process test, each on a thread of its own beside the
/// honest workload, against one peer on loopback from addresses of 127.0.0.0/8 other than
/// 127.0.0.1 (where the honest users and the other peers are). Each runs until stopped, at
/// most `seconds` and `maximumWork` units of work: every loop is bounded in count and time.
public final class Attacker: @unchecked Sendable {
    public enum Kind: String, CaseIterable {
        /// Cookieless DTLS ClientHellos (RFC 6347 §4.2.1) from 1,000 addresses.
        case clienthello
        /// Cookie answered, then silence: handshakes left half-open at the peer.
        case halfopen
        /// Whole DTLS handshakes with a certificate of another CA (RFC 6940 §11.3 identities).
        case foreignca
        /// An enrolled peer of the overlay storing and fetching as fast as it can.
        case insider
        /// REGISTERs with wrong Digest answers (RFC 3261 §22.4) at the peer's SIP front.
        case guess
    }

    /// Work sent, work the peer did for it ("accepted": a HelloVerifyRequest sent, a server
    /// flight, a handshake completed, a request answered, a password checked), and work the
    /// peer refused (an alert, an error answer, a rate-limit answer) or never answered.
    public struct Counts {
        public var sent = 0
        public var accepted = 0
        public var refused = 0
        public var seconds = 0.0
        public var notes: [String: Int] = [:]
    }

    /// Where the attack goes, and the insider's control socket (its own peer process).
    public struct Target {
        public var overlayPort: UInt16 = 0
        public var sipPort: UInt16 = 0
        public var sipUser = ""
        public var domain = ""
        public var insiderControl = ""
        /// Resource names the insider stores to (its own) and fetches from.
        public var insiderUser = ""
        public init() {}
    }

    public let kind: Kind
    let target: Target
    let seconds: Double
    let maximumWork: Int
    /// Datagrams per second of the ClientHello flood (a paced flood: an unpaced one measures
    /// this machine's shared cores, not the peer).
    let floodRate: Double
    let lock = NSLock()
    var stopping = false
    var counts = Counts()
    var finished = false
    var thread: Thread?

    public init(_ kind: Kind, target: Target, seconds: Double, maximumWork: Int = 5_000_000, floodRate: Double = 2000) {
        self.kind = kind
        self.target = target
        self.seconds = seconds
        self.maximumWork = maximumWork
        self.floodRate = floodRate
    }

    public func start() {
        let thread = Thread { [self] in
            let began = Date()
            do {
                switch kind {
                case .clienthello: try clientHellos()
                case .halfopen: try halfOpen()
                case .foreignca: try foreignHandshakes()
                case .insider: try insider()
                case .guess: try guesses()
                }
            } catch {
                add { $0.notes["attacker error: \(error)", default: 0] += 1 }
            }
            add {
                $0.seconds = Date().timeIntervalSince(began)
            }
            lock.withLock { finished = true }
        }
        self.thread = thread
        thread.start()
    }

    /// Stops the attacker and waits (at most 30 s) for its thread; what it did.
    public func stop() -> Counts {
        lock.withLock { stopping = true }
        let deadline = Date().addingTimeInterval(30)
        while !lock.withLock({ finished }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return lock.withLock { counts }
    }

    /// Whether to go on: not stopped, within the time and the work bounds.
    func going(_ began: Date) -> Bool {
        lock.withLock { !stopping && counts.sent < maximumWork } && Date().timeIntervalSince(began) < seconds
    }

    func add(_ change: (inout Counts) -> Void) { lock.withLock { change(&counts) } }

    /// 1,000 sockets on 127.1.1.1-127.1.250.1, 127.2.1.1-..., each sending ClientHellos in
    /// turn at `floodRate`; the HelloVerifyRequests that come back are "accepted".
    func clientHellos() throws {
        // 1,000 sockets and the process's own: over a soft limit of 1,024, so up to the hard one.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let sockets = try LoopbackUDP.hosts(1000, from: 1).map { try LoopbackUDP.bound(to: $0) }
        defer { for socket in sockets { close(socket) } }
        let began = Date()
        var index = 0
        while going(began) {
            let batch = 100
            for _ in 0..<batch {
                let sent = LoopbackUDP.send(ClientHelloFlood.clientHello(), on: sockets[index % sockets.count], to: target.overlayPort)
                add { if sent { $0.sent += 1 } else { $0.notes["send buffer full", default: 0] += 1 } }
                index += 1
            }
            // Paced: the batch's share of a second, then the answers so far.
            let due = began.addingTimeInterval(Double(index) / floodRate)
            if due > Date() { Thread.sleep(until: due) }
            if index % 1000 == 0 || !going(began) {
                var answers = 0
                for socket in sockets { while LoopbackUDP.receive(on: socket) != nil { answers += 1 } }
                add { $0.accepted += answers }
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        var answers = 0
        for socket in sockets { while LoopbackUDP.receive(on: socket) != nil { answers += 1 } }
        add { $0.accepted += answers }
    }

    /// Rounds of 64 half-open handshakes, one per address, from 512 addresses in turn
    /// (127.3.x.1 and 127.4.x.1).
    func halfOpen() throws {
        let client = try TestConfigurations.make(try TestPKI.load().alice, role: .client)
        let hosts = LoopbackUDP.hosts(512, from: 3)
        let began = Date()
        var round = 0
        while going(began) {
            let these = (0..<64).map { hosts[(round * 64 + $0) % hosts.count] }
            let flights = try HalfOpenFlood.round(client: client, port: target.overlayPort, hosts: these, perHost: 1)
            add {
                $0.sent += these.count
                $0.accepted += flights
                $0.refused += these.count - flights
            }
            round += 1
        }
    }

    /// Whole handshakes one after another on this thread (one core), each from the next of
    /// 250 addresses (127.5.x.1), with TestPKI's alice: a well-formed certificate of a CA
    /// that is not the overlay's. The client believes any server (it only wants the peer to
    /// do its work). "accepted": the peer completed the handshake; "refused": it sent an
    /// alert or nothing within 2 s.
    func foreignHandshakes() throws {
        let pki = try TestPKI.load()
        let client = try SecureSessionConfiguration(
            role: .client, transport: .datagram, certificateChain: [try pki.alice.certificate()], privateKey: try pki.alice.key(),
            trust: .deferredToOwner, random: try RandomGenerator(source: .operatingSystem))
        let hosts = LoopbackUDP.hosts(250, from: 5)
        let began = Date()
        var index = 0
        while going(began) {
            let socket = try LoopbackUDP.bound(to: hosts[index % hosts.count])
            defer { close(socket) }
            index += 1
            let outcome = try handshake(client, socket)
            add {
                $0.sent += 1
                if outcome == "completed" { $0.accepted += 1 } else { $0.refused += 1 }
                $0.notes[outcome, default: 0] += 1
            }
        }
    }

    func handshake(_ client: SecureSessionConfiguration, _ socket: Int32) throws -> String {
        func now() -> Instant { Instant(nanoseconds: DispatchTime.now().uptimeNanoseconds) }
        let session = try SecureSession(connectingWith: client, now: now())
        var actions = session.start(now: now())
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline {
            for action in actions {
                switch action {
                case .transmit(let bytes): LoopbackUDP.send(bytes, on: socket, to: target.overlayPort)
                case .handshakeCompleted: return "completed"
                case .failed(let error): return "failed: \(String(describing: error).prefix(60))"
                case .closed: return "closed"
                default: break
                }
            }
            actions = LoopbackUDP.receive(on: socket, milliseconds: 50).map { session.receive($0, now: now()) } ?? session.tick(now: now())
        }
        return "no answer within 2 s"
    }

    /// Through the insider's own peer (a real `p2psip peer` enrolled by the overlay's CA):
    /// Stores of values it signs (its own Resource, USER-DATA) and Fetches of Resources all
    /// over the ring, 64 under way at once, as fast as the peers answer. An error answer
    /// (a budget's refusal among them) counts as refused, an answer as accepted.
    func insider() throws {
        let control = try ControlBatch(path: target.insiderControl)
        let began = Date()
        var round = 0
        while going(began) {
            var requests: [String] = []
            for _ in 0..<256 {
                round += 1
                requests.append("put \(HonestWorkload.resource(target.insiderUser)) 4026531841 k:\(HonestWorkload.hex("flood\(round % 16)")) "
                    + "\(HonestWorkload.hex(String(repeating: "x", count: 200))) 600")
                requests.append("get \((0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()) 4026531841 -")
            }
            let before = control.failures
            let result = try control.run(requests, inFlight: 64, timeoutSeconds: max(1, seconds - Date().timeIntervalSince(began) + 15)) {
                !self.going(began)
            }
            add {
                $0.sent += result.latencies.count + result.failed
                $0.accepted += result.latencies.count
                $0.refused += result.failed
                for (reason, count) in control.failures { $0.notes[String(reason.prefix(70)), default: 0] += count - (before[reason] ?? 0) }
            }
        }
    }

    /// REGISTERs for the attacked peer's account with wrong passwords, from 4 addresses
    /// (127.6.0.1-4) in turn, each waiting for its final answer (at most 2 s). "accepted": a
    /// 403 (a guess checked, or refused for a penalty: the peer's digest_failures tells them
    /// apart); "refused": a 503 (rate limit) or another answer.
    func guesses() throws {
        let phones = try (1...4).map {
            try Phone(user: target.sipUser, password: "guess-\($0)", domain: target.domain, proxyPort: target.sipPort, host: "127.6.0.\($0)")
        }
        let began = Date()
        var index = 0
        while going(began) {
            let phone = phones[index % phones.count]
            phone.phone = SIPPhone(user: target.sipUser, password: "guess-\(index)", domain: target.domain, host: String(decoding: phone.phone.host, as: UTF8.self), port: phone.port)
            index += 1
            let status = phone.register(seconds: 2)
            add {
                $0.sent += 1
                if status == 403 { $0.accepted += 1 } else { $0.refused += 1 }
                $0.notes["status \(status)", default: 0] += 1
            }
            if status == 200 { add { $0.notes["a guess registered", default: 0] += 1 } }
        }
    }
}
