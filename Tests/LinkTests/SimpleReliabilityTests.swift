import Testing
@testable import Link
import Reload
import Wire
import TestSupport

/// RFC 6940 §6.6.2 framing and §6.6.3.1's stop-and-wait sender, on the pure value type with a
/// virtual clock (no DTLS): exact bytes, exact times.
@Suite struct SimpleReliabilityTests {
    static let start = Instant(nanoseconds: 10_000_000_000)
    static func at(_ milliseconds: UInt64) -> Instant { start.adding(milliseconds: milliseconds) }

    static func make(_ configuration: ReliabilityConfiguration = ReliabilityConfiguration()) -> SimpleReliability {
        SimpleReliability(configuration: configuration, codec: CodecConfiguration())
    }

    static func frames(_ actions: [ReliabilityAction]) -> [[UInt8]] {
        actions.compactMap { if case .transmit(let bytes) = $0 { return bytes } else { return nil } }
    }

    static func ack(_ sequence: UInt32, _ received: UInt32 = 0) -> [UInt8] {
        [0x81] + bytes(sequence) + bytes(received)
    }

    static func data(_ sequence: UInt32, _ message: [UInt8]) -> [UInt8] {
        let length = UInt32(message.count)
        return [0x80] + bytes(sequence) + [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + message
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    @Test func dataFramesCarrySequenceNumbersFromZeroRetransmissionsIncluded() {
        var sender = Self.make()
        #expect(enqueue(&sender, [[0xAA, 0xBB], [0xCC]]))
        // §6.6.2: type data(128), sequence u32, message opaque<0..2^24-1>.
        #expect(Self.frames(poll(&sender, Self.at(0))) == [[0x80, 0, 0, 0, 0, 0, 0, 2, 0xAA, 0xBB]])
        // The retransmission is a new frame with the next sequence number (§6.6.2, §6.6.3.1).
        #expect(Self.frames(poll(&sender, Self.at(500))) == [[0x80, 0, 0, 0, 1, 0, 0, 2, 0xAA, 0xBB]])
        // ACK of the retransmission: the next message 10 ms later, sequence 2.
        #expect(receive(&sender, [0x81, 0, 0, 0, 1, 0, 0, 0, 0], Self.at(520)) == [])
        #expect(Self.frames(poll(&sender, Self.at(529))) == [])
        #expect(Self.frames(poll(&sender, Self.at(530))) == [[0x80, 0, 0, 0, 2, 0, 0, 1, 0xCC]])
        #expect(sender.counters.framesSent == 3 && sender.counters.retransmissions == 1)
        #expect(sender.counters.messagesAcknowledged == 1)
    }

    @Test func acksCarryTheBitmaskOfThePrevious32SequenceNumbers() {
        var receiver = Self.make(ReliabilityConfiguration(duplicateWindowMilliseconds: 0))
        func ackFor(_ sequence: UInt32) -> [UInt8] {
            Self.frames(receive(&receiver, Self.data(sequence, [UInt8(truncatingIfNeeded: sequence)]), Self.at(0))).first ?? []
        }
        // ack(129), ack_sequence u32, received u32; bit N-M counted from 1 at the low end.
        #expect(ackFor(0) == [0x81, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(ackFor(1) == [0x81, 0, 0, 0, 1, 0, 0, 0, 0x01])
        #expect(ackFor(2) == [0x81, 0, 0, 0, 2, 0, 0, 0, 0x03])
        // 3 lost: for 4, M = 2, 1, 0 are N-2, N-3, N-4.
        #expect(ackFor(4) == [0x81, 0, 0, 0, 4, 0, 0, 0, 0x0E])
        // 3 arrives late: only M < N count (0, 1, 2), not 4.
        #expect(ackFor(3) == [0x81, 0, 0, 0, 3, 0, 0, 0, 0x07])
        for sequence in UInt32(5)..<40 { _ = ackFor(sequence) }
        // All of 0...39 received: for 40 the 32 most recent are 8...39; 8 is N-32 (not set).
        #expect(ackFor(40) == Self.ack(40, 0x7FFF_FFFF))
        // 45 after 40: 44...41 missing; 40 is N-5, 39 is N-6 ... 14 is N-31.
        #expect(ackFor(45) == Self.ack(45, 0x7FFF_FFF0))
    }

    @Test func bitmaskWrapsAroundTheSequenceSpace() {
        var window = ReceivedWindow()
        #expect(record(&window, 0xFFFF_FFFE) == 0)
        #expect(record(&window, 0xFFFF_FFFF) == 0x1)
        #expect(record(&window, 0) == 0x3)
        #expect(ReceivedWindow.covers(0xFFFF_FFFF, acknowledged: 0, received: 0x1))
        #expect(!ReceivedWindow.covers(0xFFFF_FFFE, acknowledged: 0, received: 0x1))
        #expect(ReceivedWindow.covers(7, acknowledged: 7, received: 0))
        #expect(!ReceivedWindow.covers(8, acknowledged: 7, received: 0xFFFF_FFFF))
    }

    @Test func rtoDoublesAndTheSenderGivesUpAfterFiveTransmissions() {
        var sender = Self.make()
        #expect(enqueue(&sender, [[1, 2, 3]]))
        var sentAt: [UInt64] = []
        var unresponsiveAt: UInt64? = nil
        var gaveUpAt: UInt64? = nil
        for milliseconds in UInt64(0)...20_000 {
            for action in poll(&sender, Self.at(milliseconds)) {
                switch action {
                case .transmit: sentAt.append(milliseconds)
                case .unresponsive: unresponsiveAt = milliseconds
                case .gaveUp: gaveUpAt = milliseconds
                default: Issue.record("unexpected \(action)")
                }
            }
        }
        // §6.6.3.1: "requests would be sent at times 0 ms, 500 ms, 1500 ms, 3500 ms, and 7500 ms".
        #expect(sentAt == [0, 500, 1_500, 3_500, 7_500])
        // Three retransmissions without an ACK: the link is likely failing.
        #expect(unresponsiveAt == 3_500)
        // The fifth transmission waits 8 s, then the sender gives up.
        #expect(gaveUpAt == 15_500)
        #expect(sender.counters.framesSent == 5 && sender.counters.retransmissions == 4 && sender.counters.messagesFailed == 1)
        #expect(sender.nextDeadline == nil && sender.hasGivenUp)
    }

    @Test func anAckAfterThreeRetransmissionsMakesTheLinkResponsiveAgain() {
        var sender = Self.make()
        #expect(enqueue(&sender, [[9]]))
        for milliseconds: UInt64 in [0, 500, 1_500] { _ = poll(&sender, Self.at(milliseconds)) }
        #expect(poll(&sender, Self.at(3_500)).contains(.unresponsive))
        #expect(sender.isUnresponsive)
        // The ACK of the first transmission arrives (late): it covers the message.
        #expect(receive(&sender, Self.ack(0), Self.at(3_600)) == [.responsive])
        #expect(!sender.isUnresponsive && !sender.hasUnacknowledgedMessage)
        #expect(sender.counters.messagesAcknowledged == 1)
    }

    @Test func anAckBitmaskAcknowledgesAnEarlierTransmission() {
        var sender = Self.make()
        #expect(enqueue(&sender, [[1]]))
        _ = poll(&sender, Self.at(0))
        _ = poll(&sender, Self.at(500))
        // An ACK for sequence 1 whose bitmask also shows 0: acknowledged either way.
        #expect(receive(&sender, Self.ack(1, 0x1), Self.at(510)) == [])
        #expect(!sender.hasUnacknowledgedMessage)
        // An ACK for a sequence number never sent is counted and ignored.
        #expect(receive(&sender, Self.ack(77), Self.at(520)) == [])
        #expect(sender.counters.acksUnmatched == 1 && sender.counters.acksReceived == 2)
    }

    @Test func rfc6298EstimateFromEveryAck() {
        var sender = Self.make(ReliabilityConfiguration(minimumRetransmissionTimeoutMilliseconds: 1))
        #expect(enqueue(&sender, [[1], [2], [3]]))
        _ = poll(&sender, Self.at(0))
        _ = receive(&sender, Self.ack(0), Self.at(30))
        // (2.2): SRTT = 30 ms, RTTVAR = 15 ms, RTO = 30 + 4 * 15 = 90 ms.
        #expect(sender.roundTrip.smoothedMilliseconds == 30)
        #expect(sender.roundTrip.retransmissionTimeoutMilliseconds == 90)
        _ = poll(&sender, Self.at(40))
        _ = receive(&sender, Self.ack(1), Self.at(90))
        // (2.3): RTTVAR = 3/4 * 15 + 1/4 * |30 - 50| = 16.25; SRTT = 7/8 * 30 + 1/8 * 50 = 32.5;
        // RTO = 32.5 + 65 = 97.5, rounded up to the millisecond.
        #expect(sender.roundTrip.smoothedMicroseconds == 32_500 && sender.roundTrip.variationMicroseconds == 16_250)
        #expect(sender.roundTrip.retransmissionTimeoutMilliseconds == 98)
        _ = poll(&sender, Self.at(100))
        #expect(sender.nextDeadline == Self.at(198))
        // The default floor of 200 ms holds the estimate up.
        var floored = Self.make()
        #expect(enqueue(&floored, [[1]]))
        _ = poll(&floored, Self.at(0))
        _ = receive(&floored, Self.ack(0), Self.at(30))
        #expect(floored.roundTrip.retransmissionTimeoutMilliseconds == 200)
        // Static RTO: samples are measured but the RTO stays 500 ms.
        var fixed = Self.make(ReliabilityConfiguration(adaptive: false))
        #expect(enqueue(&fixed, [[1]]))
        _ = poll(&fixed, Self.at(0))
        _ = receive(&fixed, Self.ack(0), Self.at(30))
        #expect(fixed.roundTrip.retransmissionTimeoutMilliseconds == 500 && fixed.roundTrip.smoothedMilliseconds == 30)
    }

    @Test func atMostOneUnacknowledgedMessageAndTenMillisecondsAfterAnAck() {
        var sender = Self.make()
        #expect(enqueue(&sender, [[1], [2]]))
        #expect(Self.frames(poll(&sender, Self.at(0))).count == 1)
        // Stop and wait: nothing more until the ACK.
        #expect(Self.frames(poll(&sender, Self.at(100))).isEmpty)
        _ = receive(&sender, Self.ack(0), Self.at(200))
        #expect(sender.nextDeadline == Self.at(210))
        #expect(Self.frames(poll(&sender, Self.at(209))).isEmpty)
        #expect(Self.frames(poll(&sender, Self.at(210))) == [Self.data(1, [2])])
    }

    @Test func theSendQueueIsBoundedAndRefusalsAreCounted() {
        var sender = Self.make(ReliabilityConfiguration(sendQueueCapacity: 4))
        for index in 0..<4 { #expect(enqueue(&sender, [[UInt8(index)]])) }
        #expect(!enqueue(&sender, [[9]]))
        #expect(sender.counters.queueRefusals == 1 && sender.queuedMessages == 4)
        _ = poll(&sender, Self.at(0))  // the first leaves the queue: it is unacknowledged
        #expect(sender.freeQueueSlots == 1)
        // All or nothing: two fragments do not go into one free slot.
        #expect(!enqueue(&sender, [[7], [8]]))
        #expect(sender.counters.queueRefusals == 2 && sender.queuedMessages == 3)
        #expect(enqueue(&sender, [[7]]))
        let discarded = sender.discardAll()
        #expect(discarded == 5)
        #expect(sender.nextDeadline == nil)
    }

    @Test func aCopyWhoseAckWasLostIsAcknowledgedButDeliveredOnce() {
        var receiver = Self.make()
        let message: [UInt8] = [0xD2, 0x45, 0x4C, 0x4F, 1, 2, 3]
        #expect(receive(&receiver, Self.data(0, message), Self.at(0)) == [.transmit(Self.ack(0)), .deliver(message)])
        // The ACK was lost; the sender's retransmission has the next sequence number.
        #expect(receive(&receiver, Self.data(1, message), Self.at(500)) == [.transmit(Self.ack(1, 0x1))])
        #expect(receive(&receiver, Self.data(2, message), Self.at(1_500)) == [.transmit(Self.ack(2, 0x3))])
        // Another message, then the first again after the window (an end-to-end
        // retransmission, §6.2.1): delivered.
        #expect(receive(&receiver, Self.data(3, [4]), Self.at(1_600)).contains(.deliver([4])))
        #expect(receive(&receiver, Self.data(4, message), Self.at(4_001)).contains(.deliver(message)))
        #expect(receiver.counters.messagesDelivered == 3 && receiver.counters.duplicatesDropped == 2)
        #expect(receiver.counters.acksSent == 5)
    }

    @Test func recordsThatAreNotFramedMessagesAreCountedAndDropped() {
        var receiver = Self.make()
        let bad: [[UInt8]] = [[], [0x80], [0x82, 0, 0, 0, 0], [0x81, 0, 0, 0, 0, 0, 0, 0], Self.ack(0) + [0],
                              [0x80, 0, 0, 0, 0, 0, 0, 5, 1, 2], Self.data(0, [1]) + [0],
                              [0x80, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]]
        for record in bad { #expect(receive(&receiver, record, Self.at(0)) == []) }
        #expect(receiver.counters.framesMalformed == UInt64(bad.count))
        // A data frame over max-message-size (5000 by default) is malformed too.
        #expect(receive(&receiver, Self.data(0, [UInt8](repeating: 1, count: 5_001)), Self.at(0)) == [])
        var random = SeededRandom(seed: 0x5eed)
        for _ in 0..<5_000 {
            var record = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if !record.isEmpty && random.next() % 2 == 0 { record[0] = 0x80 | UInt8(random.next() % 2) }
            _ = receive(&receiver, record, Self.at(0))
        }
        #expect(receiver.counters.messagesDelivered + receiver.counters.framesMalformed + receiver.counters.acksReceived
            + receiver.counters.duplicatesDropped == UInt64(bad.count) + 5_001)
    }
}

// Free functions: #expect cannot call a mutating method on a captured value.
func enqueue(_ reliability: inout SimpleReliability, _ messages: [[UInt8]]) -> Bool { reliability.enqueue(messages) }
func poll(_ reliability: inout SimpleReliability, _ now: Instant) -> [ReliabilityAction] { reliability.poll(now: now) }
func receive(_ reliability: inout SimpleReliability, _ record: [UInt8], _ now: Instant) -> [ReliabilityAction] {
    reliability.receive(record, now: now)
}
func record(_ window: inout ReceivedWindow, _ sequence: UInt32) -> UInt32 { window.receive(sequence) }
