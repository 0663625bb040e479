import Wire

/// Which received messages are copies of one just delivered. A stop-and-wait sender whose ACK
/// was lost sends the same message again under a new sequence number (§6.6.2), so sequence
/// numbers cannot tell a copy; the bytes can (FNV-1a 64 digest and length). A message equal to
/// one delivered is a copy when it comes within `window` of that delivery, or within
/// `LinkLimits.duplicateCopyGapMilliseconds` of the previous copy (a chain of retransmissions
/// whose RTO doubles).
///
/// An end-to-end retransmission (§6.2.1: same transaction id and bytes, every
/// overlay-reliability-timer, 3 s by default) is not a hop-by-hop copy: the first one may fall
/// in the window and be taken for a copy, the next one, 3 s later, is delivered (it is past
/// both the window, under 6 s, and the gap, under 3 s), and the Node answers it. The residue
/// the other way: a copy that follows its delivery by more than both bounds (a sender whose RTO
/// is over 266 ms losing four ACKs in a row) is delivered twice; the Node must tolerate that
/// anyway (§6.2.1 "multiple requests being delivered to a node").
///
/// The digest is not cryptographic: frames come only from the authenticated peer, which could
/// at worst make us drop its own messages.
struct DuplicateFilter: Equatable {
    struct Entry: Equatable {
        var digest: UInt64
        var length: Int
        var delivered: Instant
        var lastSeen: Instant
    }

    let windowMilliseconds: UInt64
    private var entries: [Entry] = []
    private var oldest = 0

    init(windowMilliseconds: UInt64) {
        self.windowMilliseconds = windowMilliseconds
        entries.reserveCapacity(LinkLimits.recentDeliveries)
    }

    /// True when `message` is a copy (its time is remembered); false when it is to be
    /// delivered (and is remembered as delivered now).
    mutating func isCopy(_ message: [UInt8], now: Instant) -> Bool {
        guard windowMilliseconds > 0 else { return false }
        let digest = DuplicateFilter.digest(message)
        if let index = entries.firstIndex(where: { $0.digest == digest && $0.length == message.count }) {
            let gap = min(windowMilliseconds, LinkLimits.duplicateCopyGapMilliseconds)
            let copy = now < entries[index].delivered.adding(milliseconds: windowMilliseconds)
                || now < entries[index].lastSeen.adding(milliseconds: gap)
            entries[index].lastSeen = now
            if !copy { entries[index].delivered = now }
            return copy
        }
        let entry = Entry(digest: digest, length: message.count, delivered: now, lastSeen: now)
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
