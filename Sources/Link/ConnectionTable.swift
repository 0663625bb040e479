/// The links of a peer, keyed by the peer's address, with a fixed capacity from the caller
/// (board configuration `max-links`). At capacity an insert of a new address is refused: the
/// table never grows (tables keyed by network input have a fixed capacity).
/// Iteration is in a deterministic order (insertion order, changed only by removals), so a
/// seeded simulation replays the same way.
public struct ConnectionTable<Value> {
    public enum Insertion: Equatable {
        case inserted
        /// The address was present; its value was replaced.
        case replaced
        /// The table is full and the address is new; nothing changed.
        case refusedFull
    }

    public let capacity: Int
    private var slots: [(address: PeerAddress, value: Value)] = []
    private var slotOfAddress: [PeerAddress: Int] = [:]

    public init(capacity: Int) {
        precondition(capacity > 0 && capacity <= LinkLimits.maximumConnectionTableCapacity)
        self.capacity = capacity
        slots.reserveCapacity(capacity)
        slotOfAddress.reserveCapacity(capacity)
    }

    public var count: Int { slots.count }
    public var isFull: Bool { slots.count >= capacity }
    public var addresses: [PeerAddress] { slots.map { $0.address } }

    public func lookup(_ address: PeerAddress) -> Value? {
        guard let slot = slotOfAddress[address] else { return nil }
        return slots[slot].value
    }

    @discardableResult
    public mutating func insert(_ value: Value, for address: PeerAddress) -> Insertion {
        if let slot = slotOfAddress[address] {
            slots[slot].value = value
            return .replaced
        }
        guard slots.count < capacity else { return .refusedFull }
        slotOfAddress[address] = slots.count
        slots.append((address: address, value: value))
        assert(slots.count == slotOfAddress.count && slots.count <= capacity)
        return .inserted
    }

    /// Removes and returns the value for `address`; the last slot moves into the gap.
    @discardableResult
    public mutating func remove(_ address: PeerAddress) -> Value? {
        guard let slot = slotOfAddress.removeValue(forKey: address) else { return nil }
        let removed = slots[slot].value
        let last = slots.count - 1
        if slot != last {
            slots[slot] = slots[last]
            slotOfAddress[slots[slot].address] = slot
        }
        slots.removeLast()
        assert(slots.count == slotOfAddress.count)
        return removed
    }

    /// Calls `body` for every entry, in table order.
    public func forEach<E: Error>(_ body: (PeerAddress, Value) throws(E) -> Void) throws(E) {
        for slot in slots { try body(slot.address, slot.value) }
    }
}
