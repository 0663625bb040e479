import Wire

/// Message signature verifications over the last second (RFC 6940 §6.3.4: every message for
/// this node is verified, 1.5-2.7 ms of CPU each), in ten slots of 100 ms on the monotonic
/// clock: the measure of CPU spent on signatures that load shedding compares with the board's
/// verify-budget-per-second (RequestAdmission). Fixed size; time is an argument.
struct SignatureLoad {
    static let slots = 10
    static let slotMilliseconds: UInt64 = 100

    /// Verifications in each slot, and which 100 ms period (counted from Instant.zero) the
    /// slot holds now; a slot of an older period counts nothing.
    private var counts = [Int](repeating: 0, count: SignatureLoad.slots)
    private var periods = [UInt64](repeating: 0, count: SignatureLoad.slots)

    static func period(_ now: Instant) -> UInt64 { now.nanoseconds / 1_000_000 / slotMilliseconds }

    mutating func record(now: Instant) {
        let period = SignatureLoad.period(now)
        let slot = Int(period % UInt64(SignatureLoad.slots))
        if periods[slot] != period {
            periods[slot] = period
            counts[slot] = 0
        }
        counts[slot] += 1
    }

    /// Verifications in the last second (this 100 ms period and the nine before it).
    func perSecond(now: Instant) -> Int {
        let period = SignatureLoad.period(now)
        var total = 0
        for slot in 0..<SignatureLoad.slots where periods[slot] <= period && period - periods[slot] < UInt64(SignatureLoad.slots) {
            total += counts[slot]
        }
        return total
    }
}
