import Crypto
import Foundation
import SIP
import TestSupport

/// What honest users do during a dos-bench run (and its process test): signed Stores and
/// Fetches through a peer's control socket (the peer signs as its user, RFC 6940 §7.4.1 and
/// §7.4.2), REGISTER refreshes of alice's phone at that peer and calls from alice to bob at
/// another peer (RFC 7904 over RFC 3261). A fixed number of operations at a steady rate,
/// the kinds in turn; every operation bounded in time.
public final class HonestWorkload {
    public enum Kind: String, CaseIterable { case store, fetch, register, call }

    /// One run's operations: latency (ms) of each that succeeded, and why the others failed.
    public struct Result {
        public var latencies: [Kind: [Double]] = [:]
        public var failures: [String: Int] = [:]
        /// Operations started; fewer than `planned` when the run's time bound came first.
        public var operations = 0
        public var planned = 0
        public var succeeded: Int { latencies.values.reduce(0) { $0 + $1.count } }
        public var successRate: Double { operations == 0 ? .nan : Double(succeeded) / Double(operations) }
        public var allLatencies: [Double] { latencies.values.flatMap { $0 } }
        public init() {}
    }

    let control: ControlBatch
    let alice: Phone
    let bob: Phone
    /// The Resource-ID (hex) of the peer's user, where its signed values go (USER-DATA's
    /// user-match rule): the first 16 bytes of the SHA-1 of the name (RFC 6940 §10.2).
    let user: String
    /// A dictionary Kind-ID of the testnet's configuration (USER-DATA).
    static let kind = "4026531841"
    /// Dictionary keys in turn: USER-DATA holds 16 values per Resource (its max-count), so
    /// a long run overwrites them (a newer storage time, RFC 6940 §7.4.1.1).
    static let keys = 8
    /// Key → the round whose value it holds now.
    var stored: [Int: Int] = [:]
    var round = 0

    /// `demo`: a `p2psip demo` description; operations through peer `peer`, whose phone is
    /// alice's; bob's phone at the next peer.
    public init(demo: DetachedOverlayDescription, peer: Int = 0) throws {
        control = try ControlBatch(path: demo.control(peer))
        user = Self.resource(demo.user(peer))
        alice = try demo.phone(peer)
        bob = try demo.phone(peer + 1)
        guard alice.register() == 200, bob.register() == 200 else { throw BenchFailure("the honest phones could not register") }
    }

    /// `operations` at `rate` per second; none started after `operations / rate + slack` seconds.
    public func run(operations: Int, rate: Double, slack: Double = 30) throws -> Result {
        var result = Result()
        result.planned = operations
        let started = Date()
        let limit = Double(operations) / rate + slack
        for index in 0..<operations {
            let due = started.addingTimeInterval(Double(index) / rate)
            if due > Date() { Thread.sleep(until: due) }
            if Date().timeIntervalSince(started) > limit { break }
            let kind = Kind.allCases[index % Kind.allCases.count]
            result.operations += 1
            switch try perform(kind) {
            case .success(let milliseconds): result.latencies[kind, default: []].append(milliseconds)
            case .failure(let reason): result.failures["\(kind.rawValue): \(reason.description.prefix(100))", default: 0] += 1
            }
        }
        return result
    }

    func perform(_ kind: Kind) throws -> Swift.Result<Double, BenchFailure> {
        round += 1
        switch kind {
        case .store:
            let key = round % Self.keys
            let answer = try control.one(
                "put \(user) \(Self.kind) k:\(Self.hex("key\(key)")) \(Self.hex("honest value \(round)")) 600", seconds: 10)
            guard answer.status == 0 else { return .failure(BenchFailure(answer.text)) }
            stored[key] = round
            return .success(answer.milliseconds)
        case .fetch:
            guard let (key, value) = stored.randomElement() else { return .failure(BenchFailure("nothing stored yet")) }
            let answer = try control.one("get \(user) \(Self.kind) k:\(Self.hex("key\(key)"))", seconds: 10)
            guard answer.status == 0 else { return .failure(BenchFailure(answer.text)) }
            guard answer.text.contains("honest value \(value)  (lifetime") else {
                return .failure(BenchFailure("value missing: \(answer.text)"))
            }
            return .success(answer.milliseconds)
        case .register:
            let start = DispatchTime.now().uptimeNanoseconds
            let status = alice.register(seconds: 10)
            guard status == 200 else { return .failure(BenchFailure("status \(status)")) }
            return .success(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        case .call:
            switch call(alice, bob) {
            case .completed(let milliseconds): return .success(milliseconds)
            case .refused(let status): return .failure(BenchFailure("status \(status)"))
            case .noAnswer: return .failure(BenchFailure("no answer"))
            }
        }
    }

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

    /// The Resource-ID of a name, in the hex the control socket takes.
    public static func resource(_ name: String) -> String { SHA1.hash(Array(name.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined() }
}

/// The parts of a `p2psip demo` description (NET/demo.json) the load runs use.
public struct DetachedOverlayDescription {
    public let json: [String: Any]
    public init(_ overlay: DetachedOverlay) { json = overlay.json }

    public var peers: [[String: Any]] { json["peers"] as? [[String: Any]] ?? [] }
    public var domain: String { json["domain"] as? String ?? "" }
    public func control(_ peer: Int) -> String { peers[peer]["control"] as? String ?? "" }
    public func pid(_ peer: Int) -> Int32 { Int32(peers[peer]["pid"] as? Int ?? 0) }
    /// The peer's user name with the overlay's domain, as its certificate names it.
    public func user(_ peer: Int) -> String { (peers[peer]["user"] as? String ?? "") + "@" + domain }
    public func overlayPort(_ peer: Int) -> UInt16 { Self.port(peers[peer]["overlay"] as? String) }
    public func sipPort(_ peer: Int) -> UInt16 { Self.port(peers[peer]["sip"] as? String) }
    public func account(_ peer: Int) -> (user: String, password: String) {
        let accounts = json["accounts"] as? [[String: Any]] ?? []
        let entry = accounts.first { $0["peer"] as? Int == peer } ?? [:]
        return (entry["user"] as? String ?? "", entry["password"] as? String ?? "")
    }

    /// The phone of the peer's account, on 127.0.0.1.
    public func phone(_ peer: Int) throws -> Phone {
        let account = account(peer)
        return try Phone(user: account.user, password: account.password, domain: domain, proxyPort: sipPort(peer))
    }

    static func port(_ text: String?) -> UInt16 { UInt16(text?.split(separator: ":").last ?? "") ?? 0 }
}
