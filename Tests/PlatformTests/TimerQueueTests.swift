import Testing
@testable import Platform
import Wire
import TestSupport

@Suite struct TimerQueueTests {
    /// Random schedule/cancel/pop sequences against a naive sorted model.
    @Test(arguments: [1, 2, 3, 4, 5])
    func matchesANaiveModel(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var queue = TimerQueue<Int>(capacity: 64)
        var model: [(deadline: UInt64, sequence: Int, payload: Int)] = []
        var handles: [Int: TimerQueue<Int>.Handle] = [:]
        var sequence = 0
        var now: UInt64 = 0
        for step in 0..<5000 {
            switch random.next() % 4 {
            case 0, 1:
                let deadline = now + random.next() % 50
                let handle = queue.schedule(at: Instant(nanoseconds: deadline), step)
                if model.count == 64 {
                    #expect(handle == nil)
                } else {
                    let handle = try! #require(handle)
                    handles[step] = handle
                    model.append((deadline, sequence, step))
                    sequence += 1
                }
            case 2:
                guard let victim = model.randomElement(using: &random) else { continue }
                #expect(queue.cancel(handles[victim.payload]!) == victim.payload)
                #expect(queue.cancel(handles[victim.payload]!) == nil)  // stale handle
                model.removeAll { $0.payload == victim.payload }
            default:
                now += random.next() % 20
                model.sort { ($0.deadline, $0.sequence) < ($1.deadline, $1.sequence) }
                while let first = model.first, first.deadline <= now {
                    #expect(queue.popExpired(now: Instant(nanoseconds: now)) == first.payload)
                    model.removeFirst()
                }
                #expect(queue.popExpired(now: Instant(nanoseconds: now)) == nil)
            }
            #expect(queue.count == model.count)
            #expect(queue.nextDeadline?.nanoseconds == model.map(\.deadline).min())
        }
    }

    @Test func equalDeadlinesFireInSchedulingOrder() {
        var queue = TimerQueue<String>(capacity: 4)
        _ = queue.schedule(at: Instant(nanoseconds: 5), "a")
        _ = queue.schedule(at: Instant(nanoseconds: 5), "b")
        _ = queue.schedule(at: Instant(nanoseconds: 1), "c")
        _ = queue.schedule(at: Instant(nanoseconds: 5), "d")
        #expect(queue.schedule(at: .zero, "e") == nil)
        var order: [String] = []
        while let next = queue.popExpired(now: Instant(nanoseconds: 10)) { order.append(next) }
        #expect(order == ["c", "a", "b", "d"])
    }
}
