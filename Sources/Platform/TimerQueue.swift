import Wire

/// A bounded queue of timers that fire in deadline order (equal deadlines in the order they
/// were scheduled). Fixed capacity, allocated at start: when full, `schedule` refuses and the
/// caller counts the drop (everything is bounded). Cancelling is O(log n) through a handle.
///
/// Implementation: a binary min-heap of slot indices; each slot holds one timer and knows its
/// heap position, so a cancel removes it in place. Handles carry a generation so that a stale
/// handle (timer already fired or cancelled, slot reused) cancels nothing.
public struct TimerQueue<Payload> {
    public struct Handle: Equatable, Sendable {
        let slot: Int32
        let generation: UInt32
    }

    struct Slot {
        var deadline: Instant
        var sequence: UInt64
        var payload: Payload?
        var heapIndex: Int32
        var generation: UInt32
    }

    public let capacity: Int
    var slots: [Slot]
    var heap: [Int32]
    var freeSlots: [Int32]
    var nextSequence: UInt64 = 0

    public init(capacity: Int) {
        precondition(capacity > 0 && capacity <= Int(Int32.max))
        self.capacity = capacity
        slots = []
        slots.reserveCapacity(capacity)
        for _ in 0..<capacity {
            slots.append(Slot(deadline: .zero, sequence: 0, payload: nil, heapIndex: -1, generation: 0))
        }
        heap = []
        heap.reserveCapacity(capacity)
        freeSlots = []
        freeSlots.reserveCapacity(capacity)
        var slot = Int32(capacity - 1)
        while slot >= 0 {
            freeSlots.append(slot)
            slot -= 1
        }
    }

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    public var isFull: Bool { heap.count == capacity }

    /// The earliest deadline, if any timer is pending.
    public var nextDeadline: Instant? {
        guard let first = heap.first else { return nil }
        return slots[Int(first)].deadline
    }

    /// Schedules `payload` for `deadline`; nil when the queue is full.
    public mutating func schedule(at deadline: Instant, _ payload: Payload) -> Handle? {
        guard let slot = freeSlots.popLast() else { return nil }
        let index = Int(slot)
        slots[index].deadline = deadline
        slots[index].sequence = nextSequence
        nextSequence &+= 1
        slots[index].payload = payload
        slots[index].heapIndex = Int32(heap.count)
        heap.append(slot)
        siftUp(heap.count - 1)
        return Handle(slot: slot, generation: slots[index].generation)
    }

    /// Cancels a pending timer; returns its payload, or nil if it already fired or was cancelled.
    @discardableResult
    public mutating func cancel(_ handle: Handle) -> Payload? {
        let index = Int(handle.slot)
        guard index >= 0 && index < capacity, slots[index].generation == handle.generation,
            slots[index].heapIndex >= 0
        else { return nil }
        return remove(heapPosition: Int(slots[index].heapIndex))
    }

    /// Removes and returns the earliest timer if its deadline is at or before `now`.
    public mutating func popExpired(now: Instant) -> Payload? {
        guard let first = heap.first, slots[Int(first)].deadline <= now else { return nil }
        return remove(heapPosition: 0)
    }

    mutating func remove(heapPosition position: Int) -> Payload? {
        let slot = Int(heap[position])
        let last = heap.count - 1
        if position != last {
            swapAt(position, last)
        }
        heap.removeLast()
        if position < heap.count {
            siftDown(position)
            siftUp(position)
        }
        let payload = slots[slot].payload
        slots[slot].payload = nil
        slots[slot].heapIndex = -1
        slots[slot].generation &+= 1
        freeSlots.append(Int32(slot))
        return payload
    }

    func precedes(_ a: Int, _ b: Int) -> Bool {
        let left = slots[Int(heap[a])]
        let right = slots[Int(heap[b])]
        return left.deadline < right.deadline || (left.deadline == right.deadline && left.sequence < right.sequence)
    }

    mutating func swapAt(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        slots[Int(heap[a])].heapIndex = Int32(a)
        slots[Int(heap[b])].heapIndex = Int32(b)
    }

    mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count && precedes(left + 1, left) { smallest = left + 1 }
            guard precedes(smallest, parent) else { return }
            swapAt(smallest, parent)
            parent = smallest
        }
    }
}
