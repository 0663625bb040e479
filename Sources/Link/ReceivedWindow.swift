/// The receiver's half of RFC 6940 §6.6.2: "the 32 most recent sequence numbers received" and
/// the `received` bitmask of an ACK.
///
/// §6.6.2: for a packet with sequence N, "for each of the previous 32 packets, if the sequence
/// number M is less than N but greater than N-32, the N-M bit of the received bitmask is set".
/// Bits are numbered from 1 at the least significant end, so N-1 is 0x00000001 and N-31 is
/// 0x40000000 (the top bit, N-32, is never set). This is how Wireshark's RELOAD framing
/// dissector reads the field (bit 31-i stands for N-32+i), the reading our traffic is checked
/// against. Sequence numbers compare modulo 2^32 (a link that sends 2^32 frames wraps).
struct ReceivedWindow: Equatable {
    private var recent: [UInt32] = []
    private var oldest = 0

    init() {
        recent.reserveCapacity(LinkLimits.rfcReceivedWindow)
    }

    /// The ACK bitmask for `sequence`, computed from the packets received before it; then
    /// `sequence` joins the window (a copy counts as a received packet too).
    mutating func receive(_ sequence: UInt32) -> UInt32 {
        var mask: UInt32 = 0
        for previous in recent {
            let distance = sequence &- previous
            if distance >= 1 && distance < UInt32(LinkLimits.rfcReceivedWindow) { mask |= 1 << (distance - 1) }
        }
        if recent.count < LinkLimits.rfcReceivedWindow {
            recent.append(sequence)
        } else {
            recent[oldest] = sequence
            oldest = (oldest + 1) % LinkLimits.rfcReceivedWindow
        }
        assert(recent.count <= LinkLimits.rfcReceivedWindow)
        return mask
    }

    /// True when an ACK for `acknowledged` with bitmask `received` says `sequence` arrived.
    static func covers(_ sequence: UInt32, acknowledged: UInt32, received: UInt32) -> Bool {
        if sequence == acknowledged { return true }
        let distance = acknowledged &- sequence
        guard distance >= 1 && distance < UInt32(LinkLimits.rfcReceivedWindow) else { return false }
        return received & (1 << (distance - 1)) != 0
    }
}
