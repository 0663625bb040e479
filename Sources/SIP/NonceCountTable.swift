/// The highest nonce-count seen per nonce (RFC 2617 §3.2.2: "the server can detect request
/// replays by maintaining its own copy of this count - if the same nc-value is seen twice,
/// then the request is a replay"), in a table of fixed capacity. When it is full, expired
/// nonces go first, then the oldest; `forgottenUpTo` remembers the newest nonce forgotten,
/// so that a nonce as old is never taken for an unused one (it is answered stale instead).
struct NonceCountTable {
    struct Entry {
        let nonce: DigestNonce
        var highestCount: UInt32
    }

    let capacity: Int
    private(set) var entries: [Entry] = []
    private(set) var forgottenUpTo: DigestNonce?

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    enum Check: Equatable {
        case fresh
        case replayed
        case forgotten
    }

    /// Whether `count` may be used with `nonce` (read only: `record` commits).
    func check(_ nonce: DigestNonce, count: UInt32) -> Check {
        if let entry = entries.first(where: { $0.nonce == nonce }) {
            return count > entry.highestCount ? .fresh : .replayed
        }
        if let forgottenUpTo, !(forgottenUpTo < nonce) { return .forgotten }
        return .fresh
    }

    /// Records `count` for `nonce`, which `check` found fresh; when the table is full, nonces
    /// issued before `expiredBeforeSeconds` (seconds since 1970) go first.
    mutating func record(_ nonce: DigestNonce, count: UInt32, expiredBeforeSeconds: UInt64) {
        precondition(check(nonce, count: count) == .fresh)
        if let index = entries.firstIndex(where: { $0.nonce == nonce }) {
            entries[index].highestCount = count
            return
        }
        if entries.count >= capacity {
            forget { $0.nonce.timestampSeconds < expiredBeforeSeconds }
        }
        if entries.count >= capacity, let oldest = entries.indices.min(by: { entries[$0].nonce < entries[$1].nonce }) {
            let removed = entries[oldest].nonce
            forget { $0.nonce == removed }
        }
        entries.append(Entry(nonce: nonce, highestCount: count))
        precondition(entries.count <= capacity)
    }

    private mutating func forget(where predicate: (Entry) -> Bool) {
        for entry in entries where predicate(entry) {
            if forgottenUpTo.map({ $0 < entry.nonce }) ?? true { forgottenUpTo = entry.nonce }
        }
        entries.removeAll(where: predicate)
    }
}
