import Wire

/// The simulation's future: events ordered by time, then by the order they were scheduled
/// (a binary heap; deterministic for a given seed).
struct EventQueue<Event> {
    struct Entry {
        let time: Instant
        let sequence: UInt64
        let event: Event
    }

    var heap: [Entry] = []
    var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: Instant? { heap.first?.time }

    mutating func push(_ event: Event, at time: Instant) {
        heap.append(Entry(time: time, sequence: nextSequence, event: event))
        nextSequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var smallest = left
            if left + 1 < heap.count && precedes(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard precedes(heap[smallest], heap[parent]) else { break }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
        return first
    }

    func precedes(_ a: Entry, _ b: Entry) -> Bool {
        return a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }
}
