import Reload
import Wire

// The receive side: data frames are acknowledged at once (§6.6.2 "SHOULD immediately send an
// ACK") and delivered unless they are copies; ACKs end the stop-and-wait of §6.6.3.1.
extension SimpleReliability {
    /// One decrypted record from the peer: a FramedMessage, or dropped and counted.
    public mutating func receive(_ record: [UInt8], now: Instant) -> [ReliabilityAction] {
        let frame: FramedMessage
        do throws(WireError) {
            frame = try FramedMessage.decode(bytes: record, codec)
        } catch {
            counters.framesMalformed += 1
            return []
        }
        switch frame {
        case .data(let sequence, let message):
            return receiveData(sequence: sequence, message: message, now: now)
        case .ack(let ackSequence, let received):
            return receiveAck(ackSequence: ackSequence, received: received, now: now)
        }
    }

    mutating func receiveData(sequence: UInt32, message: [UInt8], now: Instant) -> [ReliabilityAction] {
        let received = window.receive(sequence)
        counters.acksSent += 1
        var actions: [ReliabilityAction] = [.transmit(SimpleReliability.encode(.ack(ackSequence: sequence, received: received)))]
        if duplicates.isCopy(message, now: now) {
            counters.duplicatesDropped += 1
        } else {
            counters.messagesDelivered += 1
            actions.append(.deliver(message))
        }
        return actions
    }

    /// §6.6.3.1: "The sender knows a response was received when it receives an ACK with a
    /// sequence number that indicates it is a response to one of the transmissions of this
    /// message" (its ack_sequence, or a bit of its bitmask). Every ACK of a recent
    /// transmission gives one RTT sample, and proves the peer alive.
    mutating func receiveAck(ackSequence: UInt32, received: UInt32, now: Instant) -> [ReliabilityAction] {
        counters.acksReceived += 1
        guard let index = transmissions.firstIndex(where: { $0.sequence == ackSequence }) else {
            counters.acksUnmatched += 1
            return []
        }
        if !transmissions[index].sampled {
            transmissions[index].sampled = true
            roundTrip.sample(sentAt: transmissions[index].sentAt, acknowledgedAt: now)
        }
        var actions: [ReliabilityAction] = []
        retransmissionsWithoutAck = 0
        if isUnresponsive {
            isUnresponsive = false
            actions.append(.responsive)
        }
        if let current = unacknowledged,
            current.sequences.contains(where: { ReceivedWindow.covers($0, acknowledged: ackSequence, received: received) }) {
            unacknowledged = nil
            counters.messagesAcknowledged += 1
            earliestNextMessage = now.adding(milliseconds: LinkLimits.rfcGapAfterAckMilliseconds)
        }
        return actions
    }
}
