import CPosix
import Wire

/// The single-threaded event loop: poll(2) over a fixed set of file descriptors, one bounded
/// timer queue, and signals as events (a signalfd, so no code runs in signal context).
///
/// The loop does not call handlers: `wait` returns what happened and the caller acts on it
/// (NIO's state machines that return actions; redis `ae`'s loop). It sleeps until the
/// nearest timer deadline, or until a descriptor is ready, or `maximumWaitMilliseconds`.
/// Nothing on the loop blocks: every descriptor registered here must be non-blocking.
public final class EventLoop<TimerPayload> {
    public enum Interest: Sendable {
        case read, write, readWrite

        var events: Int16 {
            switch self {
            case .read: return Int16(POLLIN)
            case .write: return Int16(POLLOUT)
            case .readWrite: return Int16(POLLIN) | Int16(POLLOUT)
            }
        }
    }

    public enum Signal: Equatable, Sendable {
        /// SIGINT or SIGTERM: stop cleanly.
        case shutdown(signal: Int32)
        /// SIGHUP: reload what can be reloaded (configuration, CRL).
        case reload
    }

    public enum Event {
        case readable(token: Int)
        case writable(token: Int)
        /// POLLERR, POLLHUP or POLLNVAL: the owner should read to learn the error, or close.
        case failed(token: Int)
        case timer(TimerPayload)
        case signal(Signal)
    }

    public typealias TimerHandle = TimerQueue<TimerPayload>.Handle

    public let maximumSources: Int
    var descriptors: [pollfd]
    var tokens: [Int]
    var timers: TimerQueue<TimerPayload>
    var signalDescriptor: Int32 = -1
    /// The time of the last wake-up; what `schedule(afterMilliseconds:)` counts from.
    public private(set) var now: Instant
    /// Timers refused because the queue was full.
    public private(set) var droppedTimers = 0

    /// Token reserved for the signal descriptor.
    static var signalToken: Int { -1 }

    public init(maximumSources: Int, timerCapacity: Int) {
        precondition(maximumSources > 0 && timerCapacity > 0)
        self.maximumSources = maximumSources
        descriptors = []
        descriptors.reserveCapacity(maximumSources + 1)
        tokens = []
        tokens.reserveCapacity(maximumSources + 1)
        timers = TimerQueue(capacity: timerCapacity)
        now = Clock.monotonicNow()
    }

    deinit {
        if signalDescriptor >= 0 {
            close(signalDescriptor)
            _ = p2psip_unblock_shutdown_and_reload()
        }
    }

    /// Delivers SIGINT, SIGTERM (as `.shutdown`) and SIGHUP (as `.reload`) through the loop.
    /// The signals are blocked for the process, so they no longer kill it by default.
    public func watchSignals() throws(PlatformError) {
        precondition(signalDescriptor < 0, "signals watched twice")
        let descriptor = p2psip_signalfd_for_shutdown_and_reload()
        if descriptor < 0 { throw PlatformError.lastError("signalfd") }
        signalDescriptor = descriptor
        descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
        tokens.append(EventLoop.signalToken)
    }

    /// Adds a non-blocking descriptor; `token` (>= 0, unique) comes back in its events.
    public func add(fileDescriptor: Int32, token: Int, interest: Interest) throws(PlatformError) {
        precondition(token >= 0 && fileDescriptor >= 0)
        precondition(!tokens.contains(token), "token \(token) registered twice")
        let sources = signalDescriptor >= 0 ? descriptors.count - 1 : descriptors.count
        if sources >= maximumSources {
            throw .limitReached("event loop sources (\(maximumSources))")
        }
        descriptors.append(pollfd(fd: fileDescriptor, events: interest.events, revents: 0))
        tokens.append(token)
    }

    public func remove(token: Int) {
        guard let index = tokens.firstIndex(of: token) else { return }
        descriptors.remove(at: index)
        tokens.remove(at: index)
    }

    public func setInterest(token: Int, _ interest: Interest) {
        guard let index = tokens.firstIndex(of: token) else { preconditionFailure("unknown token \(token)") }
        descriptors[index].events = interest.events
    }

    /// Schedules a timer; nil (and counted) when the timer queue is full.
    public func schedule(at deadline: Instant, _ payload: TimerPayload) -> TimerHandle? {
        let handle = timers.schedule(at: deadline, payload)
        if handle == nil { droppedTimers += 1 }
        return handle
    }

    public func schedule(afterMilliseconds delay: UInt64, _ payload: TimerPayload) -> TimerHandle? {
        return schedule(at: now.adding(milliseconds: delay), payload)
    }

    @discardableResult
    public func cancel(_ handle: TimerHandle) -> TimerPayload? {
        return timers.cancel(handle)
    }

    public var pendingTimers: Int { timers.count }

    /// Waits for events and appends them to `events` (cleared first). Returns after at most
    /// `maximumWaitMilliseconds`, earlier when a timer is due or a descriptor is ready.
    public func wait(into events: inout [Event], maximumWaitMilliseconds: Int) throws(PlatformError) {
        precondition(maximumWaitMilliseconds >= 0)
        events.removeAll(keepingCapacity: true)
        now = Clock.monotonicNow()
        var timeout = maximumWaitMilliseconds
        if let deadline = timers.nextDeadline {
            timeout = Int(min(UInt64(timeout), now.millisecondsUntil(deadline)))
        }
        let ready = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), Int32(timeout)) }
        if ready < 0 {
            let error = p2psip_errno()
            if error != EINTR { throw .system(call: "poll", errno: error) }
        }
        now = Clock.monotonicNow()
        if ready > 0 { try collectDescriptorEvents(into: &events) }
        while let payload = timers.popExpired(now: now) {
            events.append(.timer(payload))
        }
    }

    func collectDescriptorEvents(into events: inout [Event]) throws(PlatformError) {
        for index in descriptors.indices {
            let returned = descriptors[index].revents
            if returned == 0 { continue }
            descriptors[index].revents = 0
            let token = tokens[index]
            if token == EventLoop.signalToken {
                try readSignals(into: &events)
                continue
            }
            if returned & (Int16(POLLERR) | Int16(POLLHUP) | Int16(POLLNVAL)) != 0 && returned & Int16(POLLIN) == 0 {
                events.append(.failed(token: token))
                continue
            }
            if returned & Int16(POLLIN) != 0 { events.append(.readable(token: token)) }
            if returned & Int16(POLLOUT) != 0 { events.append(.writable(token: token)) }
        }
    }

    /// Drains the signalfd (a bounded number of records per wake).
    func readSignals(into events: inout [Event]) throws(PlatformError) {
        var information = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        for _ in 0..<8 {
            let count = read(signalDescriptor, &information, size)
            if count < 0 {
                let error = p2psip_errno()
                if error == EAGAIN || error == EINTR { return }
                throw .system(call: "read(signalfd)", errno: error)
            }
            guard count == size else { return }
            let number = Int32(information.ssi_signo)
            events.append(.signal(number == SIGHUP ? .reload : .shutdown(signal: number)))
        }
    }
}
