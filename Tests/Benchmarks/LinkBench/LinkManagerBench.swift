// Two LinkManagers in this process over an in-memory network with a virtual clock: DTLS,
// RELOAD framing, ACKs and Simple Reliability on, as a peer runs them.
import BenchSupport
import Foundation
import Link
import Reload
import Wire
import TestSupport

/// A datagram network between two managers: fixed one-way delay, optional seeded loss.
final class BenchNetwork {
    struct Datagram {
        var at: Instant
        var order: Int
        var to: Int
        var bytes: [UInt8]
    }

    let managers: [LinkManager]
    let addresses = [PeerAddress(bytes: [10, 0, 0, 1, 0x17, 0xc4])!, PeerAddress(bytes: [10, 0, 0, 2, 0x17, 0xc4])!]
    var now = Instant(nanoseconds: 1_000_000_000)
    let delayMilliseconds: UInt64
    let lossPermille: UInt64
    var random: UInt64 = 0x5eed
    var inFlight: [Datagram] = []
    var order = 0
    var delivered: [(message: [UInt8], at: Instant)] = []
    var datagrams = 0

    init(_ a: LinkManagerConfiguration, _ b: LinkManagerConfiguration, delayMilliseconds: UInt64, lossPermille: UInt64) throws {
        managers = [try LinkManager(configuration: a, now: now), try LinkManager(configuration: b, now: now)]
        self.delayMilliseconds = delayMilliseconds
        self.lossPermille = lossPermille
    }

    func perform(_ events: [LinkManagerEvent], by index: Int) {
        for event in events {
            switch event {
            case .transmit(let bytes, _):
                datagrams += 1
                random = random &* 6364136223846793005 &+ 1442695040888963407
                if (random >> 33) % 1_000 < lossPermille { continue }
                order += 1
                inFlight.append(Datagram(at: now.adding(milliseconds: delayMilliseconds), order: order, to: 1 - index, bytes: bytes))
            case .delivered(let message, _): delivered.append((message, now))
            case .failed(_, let failure, _): fatalError("link failed: \(failure.description)")
            default: break
            }
        }
    }

    /// One step: deliver what is due at the next event time, tick what is due.
    func step() {
        var next = inFlight.first?.at
        for manager in managers { if let deadline = manager.nextDeadline { next = min(next ?? deadline, deadline) } }
        guard let next else { return }
        now = max(now, next)
        while let first = inFlight.first, first.at <= now {
            inFlight.removeFirst()
            perform(managers[first.to].receive(first.bytes, from: addresses[1 - first.to], now: now), by: first.to)
        }
        for index in 0..<2 where (managers[index].nextDeadline.map { $0 <= now } ?? false) {
            perform(managers[index].tick(now: now), by: index)
        }
    }

    func establish() throws {
        perform(try managers[0].connect(to: addresses[1], now: now), by: 0)
        for _ in 0..<10_000 where managers[0].link(to: addresses[1])?.state != .established
            || managers[1].link(to: addresses[0])?.state != .established { step() }
        guard managers[0].link(to: addresses[1])?.state == .established else { throw BenchFailure("no link") }
    }

    /// Sends up to `limit` messages, as long as the queue takes them.
    func fill(_ messages: inout ArraySlice<[UInt8]>, sentAt: inout [Instant], limit: Int) {
        var sent = 0
        while let message = messages.first, sent < limit {
            sent += 1
            do {
                perform(try managers[0].send(message, to: addresses[1], now: now), by: 0)
            } catch {
                return
            }
            sentAt.append(now)
            messages.removeFirst()
        }
    }
}

struct ManagerFigures {
    var perCPUSecond: Double
    var perVirtualSecond: Double
    var medianLatencyMilliseconds: Double
    var p99LatencyMilliseconds: Double
    var datagramsPerMessage: Double
}

/// `count` messages of `bytes` from one manager to the other, the sender's queue kept full.
/// CPU time counts everything both managers do (one thread); latency is virtual, from `send`
/// to `delivered`.
func managerRun(count: Int, bytes: Int, delayMilliseconds: UInt64, lossPermille: UInt64, keepQueueFull: Bool,
                _ a: LinkManagerConfiguration, _ b: LinkManagerConfiguration) throws -> ManagerFigures {
    let network = try BenchNetwork(a, b, delayMilliseconds: delayMilliseconds, lossPermille: lossPermille)
    try network.establish()
    var messages = ArraySlice((0..<count).map { TestMessages.make(UInt32($0), bodyBytes: bytes - TestMessages.headerBytes) })
    var sentAt: [Instant] = []
    let datagramsBefore = network.datagrams
    let start = network.now
    let stopwatch = Stopwatch()
    while network.delivered.count < count {
        if keepQueueFull {
            network.fill(&messages, sentAt: &sentAt, limit: count)
        } else if network.delivered.count == sentAt.count && network.inFlight.isEmpty {
            // One at a time, on an idle link: 100 ms after the previous one was delivered and
            // acknowledged.
            network.now = network.now.adding(milliseconds: 100)
            network.fill(&messages, sentAt: &sentAt, limit: 1)
        }
        network.step()
    }
    let (_, cpu) = stopwatch.elapsed
    let virtualSeconds = Double(network.now.milliseconds(since: start)) / 1_000
    var latencies: [Double] = []
    for (index, delivery) in network.delivered.enumerated() {
        latencies.append(Double(delivery.at.nanoseconds - sentAt[index].nanoseconds) / 1e6)
    }
    latencies.sort()
    return ManagerFigures(perCPUSecond: Double(count) / cpu, perVirtualSecond: Double(count) / virtualSeconds,
                          medianLatencyMilliseconds: latencies[latencies.count / 2],
                          p99LatencyMilliseconds: latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
                          datagramsPerMessage: Double(network.datagrams - datagramsBefore) / Double(count))
}
