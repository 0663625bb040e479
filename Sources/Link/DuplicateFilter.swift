import Wire

/// Which received messages are copies of one just delivered. A stop-and-wait sender whose ACK
/// was lost sends the same message again under a new sequence number (§6.6.2), so sequence
/// numbers cannot tell a copy; the bytes can. A message equal (FNV-1a 64 digest and length)
/// to one delivered less than `window` ago, counted from its latest copy, is a copy. An
/// end-to-end retransmission (§6.2.1, same transaction id and bytes) comes after the
/// overlay-reliability-timer, longer than the window, and is delivered: the Node answers it.
///
/// The digest is not cryptographic: frames come only from the authenticated peer, which could
/// at worst make us drop its own messages.
struct DuplicateFilter: Equatable {
    struct Entry: Equatable {
        var digest: UInt64
        var length: Int
        var lastSeen: Instant
    }

    let windowMilliseconds: UInt64
    private var entries: [Entry] = []
    private var oldest = 0

    init(windowMilliseconds: UInt64) {
        self.windowMilliseconds = windowMilliseconds
        entries.reserveCapacity(LinkLimits.recentDeliveries)
    }

    /// True when `message` is a copy (and remembers this copy's time); false when it is new
    /// (and remembers it).
    mutating func isCopy(_ message: [UInt8], now: Instant) -> Bool {
        guard windowMilliseconds > 0 else { return false }
        let digest = DuplicateFilter.digest(message)
        if let index = entries.firstIndex(where: { $0.digest == digest && $0.length == message.count }) {
            let fresh = now < entries[index].lastSeen.adding(milliseconds: windowMilliseconds)
            entries[index].lastSeen = now
            return fresh
        }
        let entry = Entry(digest: digest, length: message.count, lastSeen: now)
        if entries.count < LinkLimits.recentDeliveries {
            entries.append(entry)
        } else {
            entries[oldest] = entry
            oldest = (oldest + 1) % LinkLimits.recentDeliveries
        }
        return false
    }

    /// FNV-1a, 64 bits.
    static func digest(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
