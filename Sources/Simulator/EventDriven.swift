import Wire

/// A simulation driven by its queue of future events: the clock jumps to the next event, the
/// event is handled (which may schedule more), and so on. `Simulation` (overlay nodes) and
/// `PeerSimulation` (whole peers) run the same way.
protocol EventDriven: AnyObject {
    associatedtype Event
    var events: EventQueue<Event> { get set }
    var now: Instant { get set }
    func handle(_ event: Event)
}

extension EventDriven {
    /// Runs until `condition` holds (checked after every event) or `milliseconds` of simulated
    /// time pass; then the clock stands at that end.
    func runEvents(milliseconds: UInt64, until condition: () -> Bool) -> Bool {
        let end = now.adding(milliseconds: milliseconds)
        while let next = events.nextTime, next <= end, let entry = events.pop() {
            now = entry.time
            handle(entry.event)
            if condition() { return true }
        }
        now = end
        return condition()
    }
}
