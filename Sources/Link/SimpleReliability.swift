import Reload
import Wire

/// RFC 6940 §6.6.3 Simple Reliability for one link, as a value (no I/O, no clock): the
/// FramedMessage sequence numbers of §6.6.2, the receiver's immediate ACKs, and the
/// stop-and-wait sender of §6.6.3.1. The owner (`OverlayLink`) encrypts what comes out as
/// `.transmit` and feeds in what the peer's records decrypted to.
///
/// Sender (§6.6.3.1):
/// - at most one unacknowledged message; the others wait in a bounded queue
///   (`ReliabilityConfiguration.sendQueueCapacity`; beyond it `enqueue` refuses and counts);
/// - every data frame, retransmissions included, takes the next sequence number, from 0;
/// - retransmission after the RTO, doubling each time: with the default 500 ms the
///   transmissions go at 0, 500, 1500, 3500 and 7500 ms; five without an ACK give up
///   (`.gaveUp`, at 15 500 ms: close the link);
/// - three retransmissions without any ACK: `.unresponsive` (the link likely failed; §6.6.3.1
///   recommends taking it out of the routing table), and `.responsive` when ACKs return;
/// - the RTO comes from RFC 6298 over every ACK's round trip (`roundTrip`), 500 ms before the
///   first sample;
/// - the next message goes no sooner than 10 ms after the ACK of the previous one.
///
/// Receiver (§6.6.2): every data frame is acknowledged at once with the bitmask of the 32
/// previously received sequence numbers (`ReceivedWindow`); a copy of a message delivered
/// moments ago (a retransmission whose ACK was lost) is acknowledged but not delivered again
/// (`DuplicateFilter`).
///
/// Calls: `enqueue` then `poll(now)`; `receive(record, now)` for each decrypted record;
/// `poll(now)` again at `nextDeadline`.
public struct SimpleReliability {
    struct Unacknowledged {
        var message: [UInt8]
        /// The sequence numbers of its transmissions, the first one first.
        var sequences: [UInt32]
        var deadline: Instant
    }

    struct Transmission {
        var sequence: UInt32
        var sentAt: Instant
        var sampled: Bool
    }

    public let configuration: ReliabilityConfiguration
    let codec: CodecConfiguration
    public internal(set) var counters = ReliabilityCounters()
    public internal(set) var roundTrip: RoundTripEstimator
    /// Between `.unresponsive` and `.responsive`.
    public internal(set) var isUnresponsive = false
    /// After `.gaveUp` nothing more is sent.
    public internal(set) var hasGivenUp = false
    /// §6.6.2: "Initially, the value is zero, and it increments by exactly one for each
    /// message sent over that connection."
    public internal(set) var nextSequence: UInt32 = 0
    var queue: [[UInt8]] = []
    var unacknowledged: Unacknowledged? = nil
    var earliestNextMessage = Instant.zero
    var transmissions: [Transmission] = []
    var oldestTransmission = 0
    var retransmissionsWithoutAck = 0
    var window = ReceivedWindow()
    var duplicates: DuplicateFilter

    /// `codec` bounds the message of an incoming data frame (max-message-size, §6.6).
    public init(configuration: ReliabilityConfiguration = ReliabilityConfiguration(), codec: CodecConfiguration) {
        precondition(configuration.problem == nil, "invalid reliability configuration")
        self.configuration = configuration
        self.codec = codec
        roundTrip = RoundTripEstimator(configuration)
        duplicates = DuplicateFilter(windowMilliseconds: configuration.duplicateWindowMilliseconds)
        queue.reserveCapacity(min(configuration.sendQueueCapacity, LinkLimits.defaultSendQueueCapacity))
        transmissions.reserveCapacity(LinkLimits.recentTransmissions)
    }

    /// Messages waiting behind the unacknowledged one.
    public var queuedMessages: Int { queue.count }
    public var freeQueueSlots: Int { configuration.sendQueueCapacity - queue.count }
    public var hasUnacknowledgedMessage: Bool { unacknowledged != nil }

    /// Queues `messages` (the fragments of one message, or one whole message) all or none:
    /// false, counted, when the queue lacks room for all of them.
    public mutating func enqueue(_ messages: [[UInt8]]) -> Bool {
        guard messages.count <= freeQueueSlots else {
            counters.queueRefusals += 1
            return false
        }
        for message in messages {
            precondition(message.count <= ReloadConstants.maxFramedMessageBytes, "a data frame holds 2^24-1 bytes")
            queue.append(message)
        }
        return true
    }

    /// When `poll` has something to do: a retransmission, or the next message once the 10 ms
    /// after an ACK have passed. nil when idle.
    public var nextDeadline: Instant? {
        if hasGivenUp { return nil }
        if let unacknowledged { return unacknowledged.deadline }
        return queue.isEmpty ? nil : earliestNextMessage
    }

    /// Sends what is due at `now`: a retransmission, the give-up, or the next queued message.
    public mutating func poll(now: Instant) -> [ReliabilityAction] {
        guard !hasGivenUp else { return [] }
        if var current = unacknowledged {
            guard now >= current.deadline else { return [] }
            if current.sequences.count >= LinkLimits.rfcTransmissionsPerMessage {
                unacknowledged = nil
                hasGivenUp = true
                counters.messagesFailed += 1
                return [.gaveUp]
            }
            var actions: [ReliabilityAction] = [transmit(&current, now: now)]
            unacknowledged = current
            counters.retransmissions += 1
            retransmissionsWithoutAck += 1
            if retransmissionsWithoutAck >= LinkLimits.rfcRetransmissionsBeforeUnresponsive && !isUnresponsive {
                isUnresponsive = true
                actions.append(.unresponsive)
            }
            return actions
        }
        guard !queue.isEmpty, now >= earliestNextMessage else { return [] }
        var next = Unacknowledged(message: queue.removeFirst(), sequences: [], deadline: now)
        let frame = transmit(&next, now: now)
        unacknowledged = next
        return [frame]
    }

    /// A data frame for `message` under the next sequence number, its send time remembered
    /// and its RTO (backed off by the transmissions before it, RFC 6298 (5.5)) set.
    mutating func transmit(_ message: inout Unacknowledged, now: Instant) -> ReliabilityAction {
        let sequence = nextSequence
        nextSequence &+= 1
        let timeout = roundTrip.backedOff(retransmissions: message.sequences.count)
        message.sequences.append(sequence)
        message.deadline = now.adding(milliseconds: timeout)
        let record = Transmission(sequence: sequence, sentAt: now, sampled: false)
        if transmissions.count < LinkLimits.recentTransmissions {
            transmissions.append(record)
        } else {
            transmissions[oldestTransmission] = record
            oldestTransmission = (oldestTransmission + 1) % LinkLimits.recentTransmissions
        }
        counters.framesSent += 1
        return .transmit(SimpleReliability.encode(.data(sequence: sequence, message: message.message)))
    }

    /// Takes the queued messages out (a link that is being replaced hands them on); the
    /// unacknowledged one, if any, stays.
    public mutating func takeQueued() -> [[UInt8]] {
        let taken = queue
        queue.removeAll()
        return taken
    }

    /// Empties the queue and forgets the unacknowledged message (the link ended); returns how
    /// many messages were discarded.
    public mutating func discardAll() -> Int {
        let discarded = queue.count + (unacknowledged == nil ? 0 : 1)
        queue.removeAll()
        unacknowledged = nil
        hasGivenUp = true
        return discarded
    }

    static func encode(_ frame: FramedMessage) -> [UInt8] {
        do throws(WireError) {
            return try frame.encoded()
        } catch {
            preconditionFailure("a frame of a bounded message always encodes")
        }
    }
}
