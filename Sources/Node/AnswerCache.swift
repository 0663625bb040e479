import Chord
import Crypto
import Reload
import Wire

/// Answers sent in the last 15 seconds, by transaction id, so that a retransmitted request
/// gets an equivalent answer without being processed twice (RFC 6940 §6.2.1: "Receiving
/// nodes MUST generate semantically equivalent responses to retransmissions of the same
/// request ... within the maximum request lifetime (15 seconds)"). Bounded: the oldest
/// answer goes first when full.
struct AnswerCache {
    struct Entry {
        let answer: [UInt8]
        let expires: Instant
    }

    let capacity: Int
    private(set) var entries: [UInt64: Entry] = [:]
    private var order: [UInt64] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func answer(for transactionId: UInt64, now: Instant) -> [UInt8]? {
        guard let entry = entries[transactionId], entry.expires > now else { return nil }
        return entry.answer
    }

    mutating func store(_ answer: [UInt8], for transactionId: UInt64, expires: Instant) {
        if entries[transactionId] == nil {
            if order.count >= capacity {
                let oldest = order.removeFirst()
                entries[oldest] = nil
            }
            order.append(transactionId)
        }
        entries[transactionId] = Entry(answer: answer, expires: expires)
    }

    mutating func purge(now: Instant) {
        while let first = order.first, let entry = entries[first], entry.expires <= now {
            order.removeFirst()
            entries[first] = nil
        }
    }
}
