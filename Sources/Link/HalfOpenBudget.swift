/// The count of DTLS handshakes a listener accepted that have not ended yet. Each accepted
/// session holds one slot and gives it back when its handshake completes or fails, or when it
/// is dropped; the listener accepts no handshake while every slot is taken.
final class HalfOpenBudget {
    let limit: Int
    private(set) var inUse = 0

    init(limit: Int) {
        precondition(limit > 0 && limit <= LinkLimits.maximumHalfOpenLimit)
        self.limit = limit
    }

    var isExhausted: Bool { inUse >= limit }

    func acquire() {
        precondition(inUse < limit, "half-open slot taken beyond the limit")
        inUse += 1
    }

    func release() {
        precondition(inUse > 0, "half-open slot released twice")
        inUse -= 1
    }
}
