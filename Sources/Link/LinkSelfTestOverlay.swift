import Crypto
import Reload
import Wire

/// Two LinkManagers joined in memory with a virtual clock, for the board self-test: the
/// overlay link layer (framing, ACKs, stop-and-wait, fragments) running on the board's own
/// build, where a 32-bit length or a layout mistake would show.
final class LinkSelfTestOverlay {
    let managers: [LinkManager]
    let addresses = [PeerAddress(bytes: [127, 0, 0, 1, 0x17, 0xc4])!, PeerAddress(bytes: [127, 0, 0, 2, 0x17, 0xc4])!]
    var now = Instant(nanoseconds: 1_000_000_000)
    var inFlight: [(to: Int, bytes: [UInt8])] = []
    var delivered: [[[UInt8]]] = [[], []]
    var deliveredAt: [Instant] = []
    var established = [false, false]
    var closed = [false, false]
    var failure: String? = nil
    /// Datagrams from this side longer than an ACK record are lost, this many times.
    var dropDataFrom = 0
    var dataToDrop = 0
    /// The first datagrams sent, to be mutated by `feedHostileCopies`.
    var captured: [[UInt8]] = []

    static let maximumSteps = 10_000
    static let capturedDatagrams = 32
    static let ackRecordBytes = 60

    init(_ configurations: [LinkManagerConfiguration]) throws(LinkError) {
        precondition(configurations.count == 2)
        managers = [try LinkManager(configuration: configurations[0], now: now), try LinkManager(configuration: configurations[1], now: now)]
    }

    func perform(_ events: [LinkManagerEvent], by index: Int) {
        for event in events {
            switch event {
            case .transmit(let bytes, _):
                if captured.count < LinkSelfTestOverlay.capturedDatagrams { captured.append(bytes) }
                if index == dropDataFrom && dataToDrop > 0 && bytes.count > LinkSelfTestOverlay.ackRecordBytes {
                    dataToDrop -= 1
                    continue
                }
                inFlight.append((to: 1 - index, bytes: bytes))
            case .delivered(let message, _):
                delivered[index].append(message)
                deliveredAt.append(now)
            case .established: established[index] = true
            case .closed: closed[index] = true
            case .failed(_, let reason, _): failure = reason.description
            case .unresponsive, .responsive, .keyLog: break
            }
        }
    }

    /// Delivers what is in flight (no delay), else moves the clock to the next deadline and
    /// ticks; until `done` or the step bound.
    func run(until done: () -> Bool) -> Bool {
        for _ in 0..<LinkSelfTestOverlay.maximumSteps {
            if done() || failure != nil { break }
            if !inFlight.isEmpty {
                let datagram = inFlight.removeFirst()
                perform(managers[datagram.to].receive(datagram.bytes, from: addresses[1 - datagram.to], now: now), by: datagram.to)
                continue
            }
            let deadlines = managers.compactMap { $0.nextDeadline }
            guard let next = deadlines.min() else { break }
            now = max(now, next)
            for index in 0..<2 { perform(managers[index].tick(now: now), by: index) }
        }
        return done()
    }

    /// `count` copies of captured datagrams with bytes changed, cut short or extended, from
    /// side 0's address to side 1 (a deterministic generator: the same run on every board).
    func feedHostileCopies(_ count: Int) {
        guard !captured.isEmpty else { return }
        var state: UInt64 = 0x5EED_0F_0B0A_4D
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for iteration in 0..<count {
            var bytes = captured[iteration % captured.count]
            for _ in 0...(next() % 3) where !bytes.isEmpty { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            if next() % 4 == 0 { bytes = Array(bytes.prefix(next() % (bytes.count + 1))) }
            if next() % 8 == 0 { bytes.append(UInt8(truncatingIfNeeded: next())) }
            perform(managers[1].receive(bytes, from: addresses[0], now: now), by: 1)
        }
    }

    /// A RELOAD message of `bytes` bytes: a forwarding header (§6.3.2) and a patterned body.
    static func message(bytes: Int, number: UInt8) -> [UInt8] {
        precondition(bytes >= ReloadConstants.forwardingHeaderFixedBytes)
        var writer = ByteWriter(capacity: bytes)
        writer.writeUInt32(ReloadConstants.reloToken)
        writer.writeUInt32(0x5E1F_7E57)
        writer.writeUInt16(0)
        writer.writeUInt8(ReloadConstants.version)
        writer.writeUInt8(ReloadConstants.defaultInitialTTL)
        writer.writeUInt32(ReloadConstants.unfragmented)
        writer.writeUInt32(UInt32(bytes))
        writer.writeUInt64(UInt64(number))
        writer.writeUInt32(0)
        for _ in 0..<3 { writer.writeUInt16(0) }
        while writer.count < bytes { writer.writeUInt8(UInt8(truncatingIfNeeded: writer.count) ^ number) }
        return writer.bytes
    }
}
