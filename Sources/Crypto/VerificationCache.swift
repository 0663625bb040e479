/// The certificates IdentityVerifier already verified, by SHA-256 of their DER, so a chain is
/// not verified twice on one path (ECDSA P-256 verification, about 0.85 ms against 0.26 ms for a
/// signature on the development machine, is the dominant cost of a link). Fixed capacity; when full, the least recently used entry
/// goes. Entries keep what must be re-checked at every hit: the validity window (time moves)
/// and the serial numbers (the revocation list changes).
struct VerificationCache {
    struct Entry {
        let identity: VerifiedIdentity
        /// (issuer name DER, serial number) of every non-root certificate of the chain.
        let issuedSerials: [(issuer: [UInt8], serial: [UInt8])]
    }

    let capacity: Int
    private(set) var entries: [Entry] = []
    private var keys: [[UInt8]] = []
    private var lastUse: [UInt64] = []
    private var slots: [[UInt8]: Int] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { entries.count }

    mutating func lookup(_ key: [UInt8]) -> Entry? {
        guard let slot = slots[key] else { return nil }
        clock += 1
        lastUse[slot] = clock
        return entries[slot]
    }

    mutating func insert(_ key: [UInt8], _ entry: Entry) {
        clock += 1
        if let slot = slots[key] {
            entries[slot] = entry
            lastUse[slot] = clock
            return
        }
        if entries.count < capacity {
            slots[key] = entries.count
            keys.append(key)
            entries.append(entry)
            lastUse.append(clock)
            return
        }
        var victim = 0
        for slot in 1..<entries.count where lastUse[slot] < lastUse[victim] { victim = slot }
        slots[keys[victim]] = nil
        slots[key] = victim
        keys[victim] = key
        entries[victim] = entry
        lastUse[victim] = clock
        precondition(entries.count <= capacity && slots.count == entries.count)
    }

    mutating func remove(_ key: [UInt8]) {
        guard let slot = slots[key] else { return }
        let last = entries.count - 1
        slots[key] = nil
        if slot != last {
            keys[slot] = keys[last]
            entries[slot] = entries[last]
            lastUse[slot] = lastUse[last]
            slots[keys[slot]] = slot
        }
        keys.removeLast()
        entries.removeLast()
        lastUse.removeLast()
        precondition(slots.count == entries.count)
    }

    mutating func removeAll() {
        entries.removeAll()
        keys.removeAll()
        lastUse.removeAll()
        slots.removeAll()
    }
}
