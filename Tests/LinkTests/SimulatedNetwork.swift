import Foundation
@testable import Link
import Reload
import Wire
import TestSupport

/// One peer on the simulated network: a LinkManager and everything its events said.
final class SimulatedPeer {
    let name: String
    let address: PeerAddress
    let manager: LinkManager
    var delivered: [(from: PeerAddress, message: [UInt8], at: Instant)] = []
    var established: [(address: PeerAddress, inbound: Bool, chain: PeerCertificateChain, at: Instant)] = []
    var failed: [(address: PeerAddress, failure: LinkFailure, at: Instant)] = []
    var closed: [(address: PeerAddress, at: Instant)] = []
    var unresponsive: [(address: PeerAddress, at: Instant)] = []
    var responsive: [(address: PeerAddress, at: Instant)] = []
    var keyLogLines: [String] = []
    var transmitted = 0

    init(name: String, address: PeerAddress, manager: LinkManager) {
        self.name = name
        self.address = address
        self.manager = manager
    }

    func messages(from address: PeerAddress) -> [[UInt8]] { delivered.filter { $0.from == address }.map { $0.message } }
}

/// A seeded in-memory datagram network with a virtual clock (in the manner of TigerBeetle's VOPR):
/// each datagram may be lost, duplicated, delayed (uniformly between two bounds, which
/// reorders) or held back further (reordering on purpose); a peer can be cut off. The loop
/// jumps from event to event: the next delivery or the earliest `nextDeadline` of a manager.
/// Everything follows from the seed; tests print it.
final class SimulatedNetwork {
    struct Conditions {
        var lossPermille: UInt64 = 0
        var duplicatePermille: UInt64 = 0
        var reorderPermille: UInt64 = 0
        var minimumDelayMilliseconds: UInt64 = 1
        var maximumDelayMilliseconds: UInt64 = 1

        static let perfect = Conditions()
    }

    struct Datagram {
        var deliverAt: Instant
        var order: UInt64
        var from: PeerAddress
        var to: PeerAddress
        var bytes: [UInt8]
    }

    let seed: UInt64
    var random: SeededRandom
    var conditions: Conditions
    var now = Instant(nanoseconds: 1_000_000_000)
    var inFlight: [Datagram] = []
    var peers: [PeerAddress: SimulatedPeer] = [:]
    /// Datagrams to or from these addresses vanish.
    var cutOff: Set<PeerAddress> = []
    var order: UInt64 = 0
    var sent = 0, lost = 0, duplicated = 0, delivered = 0, undeliverable = 0
    /// Datagrams for which this returns true vanish on arrival (targeted loss).
    var dropFilter: ((Datagram) -> Bool)? = nil
    /// Called for every datagram handed to a peer (captures, fuzzing).
    var observer: ((Datagram) -> Void)? = nil

    init(seed: UInt64, conditions: Conditions = .perfect) {
        self.seed = seed
        self.conditions = conditions
        random = SeededRandom(seed: seed)
    }

    static func address(_ index: Int) -> PeerAddress {
        PeerAddress(bytes: [4, 10, 0, 0, UInt8(index), 0x17, 0xc4])!
    }

    @discardableResult
    func add(_ name: String, _ configuration: LinkManagerConfiguration, index: Int) throws -> SimulatedPeer {
        let address = Self.address(index)
        let peer = SimulatedPeer(name: name, address: address, manager: try LinkManager(configuration: configuration, now: now))
        peers[address] = peer
        return peer
    }

    /// Performs what a manager asked for: datagrams into the network, the rest recorded.
    func perform(_ events: [LinkManagerEvent], by peer: SimulatedPeer) {
        for event in events {
            switch event {
            case .transmit(let bytes, let to):
                peer.transmitted += 1
                send(bytes, from: peer.address, to: to)
            case .delivered(let message, let from): peer.delivered.append((from, message, now))
            case .established(let address, let chain, let inbound): peer.established.append((address, inbound, chain, now))
            case .failed(let address, let failure, _): peer.failed.append((address, failure, now))
            case .closed(let address, _): peer.closed.append((address, now))
            case .unresponsive(let address): peer.unresponsive.append((address, now))
            case .responsive(let address): peer.responsive.append((address, now))
            case .keyLog(let line): peer.keyLogLines.append(line)
            }
        }
    }

    func send(_ bytes: [UInt8], from: PeerAddress, to: PeerAddress) {
        sent += 1
        if cutOff.contains(from) || cutOff.contains(to) || random.chance(permille: conditions.lossPermille) {
            lost += 1
            return
        }
        let copies = random.chance(permille: conditions.duplicatePermille) ? 2 : 1
        duplicated += copies - 1
        for _ in 0..<copies {
            let spread = conditions.maximumDelayMilliseconds - conditions.minimumDelayMilliseconds
            var delay = conditions.minimumDelayMilliseconds + (spread == 0 ? 0 : random.next() % (spread + 1))
            if random.chance(permille: conditions.reorderPermille) { delay += 1 + random.next() % (3 * conditions.maximumDelayMilliseconds + 1) }
            order += 1
            inFlight.append(Datagram(deliverAt: now.adding(milliseconds: delay), order: order, from: from, to: to, bytes: bytes))
        }
    }

    func connect(_ peer: SimulatedPeer, to other: SimulatedPeer) throws {
        perform(try peer.manager.connect(to: other.address, now: now), by: peer)
    }

    func send(_ message: [UInt8], from peer: SimulatedPeer, to other: SimulatedPeer) throws {
        perform(try peer.manager.send(message, to: other.address, now: now), by: peer)
    }

    /// The next instant something happens, if any.
    var nextEvent: Instant? {
        var next = inFlight.map { $0.deliverAt }.min()
        for peer in peers.values {
            if let deadline = peer.manager.nextDeadline { next = min(next ?? deadline, deadline) }
        }
        return next
    }

    /// Runs until `deadline` (virtual), or until `done` holds (checked after each step).
    /// Returns false if it stopped at the deadline with `done` still false.
    @discardableResult
    func run(until deadline: Instant, stopWhen done: () -> Bool = { false }) -> Bool {
        while true {
            if done() { return true }
            guard let next = nextEvent, next <= deadline else {
                now = max(now, deadline)
                return done()
            }
            now = max(now, next)
            step()
        }
    }

    func run(forMilliseconds milliseconds: UInt64, stopWhen done: () -> Bool = { false }) -> Bool {
        run(until: now.adding(milliseconds: milliseconds), stopWhen: done)
    }

    /// Delivers everything due at `now` (in order of arrival, then sending) and ticks every
    /// manager whose deadline has come.
    func step() {
        let due = inFlight.filter { $0.deliverAt <= now }.sorted { ($0.deliverAt, $0.order) < ($1.deliverAt, $1.order) }
        inFlight.removeAll { $0.deliverAt <= now }
        for datagram in due {
            if let dropFilter, dropFilter(datagram) {
                lost += 1
                continue
            }
            guard let peer = peers[datagram.to] else {
                undeliverable += 1
                continue
            }
            delivered += 1
            observer?(datagram)
            perform(peer.manager.receive(datagram.bytes, from: datagram.from, now: now), by: peer)
        }
        for peer in peers.values.sorted(by: { $0.name < $1.name }) {
            if let deadline = peer.manager.nextDeadline, deadline <= now {
                perform(peer.manager.tick(now: now), by: peer)
            }
        }
    }

    var summary: String {
        "seed \(String(seed, radix: 16)): \(sent) datagrams sent, \(lost) lost, \(duplicated) duplicated, \(delivered) delivered"
    }
}
