import HTTP
import Link
import Platform
import Wire

/// An HTTPS/1.1 server on the single-threaded event loop: TLS 1.2 over TCP
/// through Link's stream sessions, strict HTTP through HTTP's HTTPRequestParser, one
/// request per connection, answers from a `Handler`. Bounded: at most `maximumConnections`
/// at once, each closed when `connectionTimeLimitMilliseconds` after its accept ran out
/// (stalled handshakes, slow requests, clients that do not read), request bodies of 64 KiB.
/// At capacity the oldest unanswered connection, if older than
/// HTTPSLimits.evictionMinimumAgeMilliseconds, makes room; otherwise new clients wait in the
/// kernel's backlog. One misbehaving client costs one slot for at most the time limit (less
/// when others are waiting); the others are served.
///
/// SIGINT and SIGTERM stop `run()` cleanly (every connection closed); SIGHUP calls the
/// handler's `reload()`.
public final class HTTPSServer<Handler: HTTPSHandler> {
    public let handler: Handler
    public let maximumConnections: Int
    public let connectionTimeLimitMilliseconds: UInt64
    public internal(set) var counters = HTTPSServerCounters()
    let listener: StreamListener
    let configuration: SecureSessionConfiguration
    let loop: EventLoop<HTTPSServerTimer>
    var slots: [HTTPSServerConnection?]
    var generations: [UInt32]
    var readBuffer: [UInt8]
    var loggedCounters = HTTPSServerCounters()
    var running = false
    /// True while the listener is off the loop (at capacity, nothing old enough to evict).
    var acceptingPaused = false

    static var listenerToken: Int { 0 }

    /// Binds `address` (port 0: the kernel picks one, see `localAddress`). `configuration` is a
    /// TLS stream server configuration with the server's certificate.
    public init(
        listening address: SocketAddress, configuration: SecureSessionConfiguration, handler: Handler,
        maximumConnections: Int = HTTPSLimits.defaultMaximumConnections,
        connectionTimeLimitMilliseconds: UInt64 = HTTPSLimits.defaultConnectionTimeLimitMilliseconds
    ) throws(HTTPSError) {
        guard configuration.role == .server, configuration.transport == .stream else {
            throw .setup("the HTTPS server needs a TLS stream server configuration")
        }
        guard HTTPSLimits.maximumConnectionsRange.contains(maximumConnections) else {
            throw .setup("maximum connections \(maximumConnections) outside \(HTTPSLimits.maximumConnectionsRange)")
        }
        guard HTTPSLimits.connectionTimeLimitRange.contains(connectionTimeLimitMilliseconds) else {
            throw .setup("connection time limit \(connectionTimeLimitMilliseconds) ms outside \(HTTPSLimits.connectionTimeLimitRange)")
        }
        do throws(PlatformError) {
            listener = try StreamListener(tcp: address, backlog: HTTPSLimits.listenBacklog)
        } catch {
            throw .setup("listen on \(address.description): \(error.description)")
        }
        self.configuration = configuration
        self.handler = handler
        self.maximumConnections = maximumConnections
        self.connectionTimeLimitMilliseconds = connectionTimeLimitMilliseconds
        // One timer per connection, the housekeeping tick, and room to spare.
        loop = EventLoop(maximumSources: maximumConnections + 1, timerCapacity: maximumConnections + 4)
        slots = [HTTPSServerConnection?](repeating: nil, count: maximumConnections)
        generations = [UInt32](repeating: 0, count: maximumConnections)
        readBuffer = [UInt8](repeating: 0, count: HTTPSLimits.readChunkBytes)
    }

    /// The bound address (with the port the kernel chose for port 0).
    public func localAddress() throws(HTTPSError) -> SocketAddress {
        do throws(PlatformError) {
            return try listener.localAddress()
        } catch {
            throw .setup("getsockname: \(error.description)")
        }
    }

    /// Connections open now.
    public var connectionCount: Int { slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Serves until SIGINT or SIGTERM, then closes every connection and returns.
    public func run() throws(HTTPSError) {
        do throws(PlatformError) {
            try loop.watchSignals()
            try loop.add(fileDescriptor: listener.fileDescriptor, token: HTTPSServer.listenerToken, interest: .read)
        } catch {
            throw .setup("event loop: \(error.description)")
        }
        _ = loop.schedule(afterMilliseconds: HTTPSLimits.housekeepingIntervalMilliseconds, .housekeeping)
        running = true
        var events: [EventLoop<HTTPSServerTimer>.Event] = []
        while running {
            do throws(PlatformError) {
                try loop.wait(into: &events, maximumWaitMilliseconds: Int(HTTPSLimits.housekeepingIntervalMilliseconds))
            } catch {
                throw .failed(step: "event loop", reason: error.description)
            }
            for event in events { handle(event) }
        }
        for slot in slots.indices where slots[slot] != nil { close(slot: slot) }
        logUnansweredSummary()
    }

    func handle(_ event: EventLoop<HTTPSServerTimer>.Event) {
        switch event {
        case .readable(let token):
            if token == HTTPSServer.listenerToken { acceptPending() } else { readable(slot: token - 1) }
        case .writable(let token):
            writable(slot: token - 1)
        case .failed(let token):
            if token != HTTPSServer.listenerToken { readable(slot: token - 1) }
        case .timer(.connection(let slot, let generation)):
            expire(slot: slot, generation: generation)
        case .timer(.housekeeping):
            // The oldest connections may have become old enough to make room.
            resumeAccepting()
            handler.housekeeping()
            logUnansweredSummary()
            _ = loop.schedule(afterMilliseconds: HTTPSLimits.housekeepingIntervalMilliseconds, .housekeeping)
        case .signal(.shutdown(let signal)):
            handler.log("signal \(signal): stopping")
            running = false
        case .signal(.reload):
            handler.reload()
        }
    }

    /// One line for the connections that ended without an answer since the last such line.
    func logUnansweredSummary() {
        guard counters.unanswered != loggedCounters.unanswered || counters.answerTimeouts != loggedCounters.answerTimeouts
            || counters.pausedAtCapacity != loggedCounters.pausedAtCapacity
        else { return }
        var line = counters.differences(since: loggedCounters)
        if counters.pausedAtCapacity > loggedCounters.pausedAtCapacity {
            if !line.isEmpty { line += "; " }
            line += "all \(maximumConnections) slots busy, accepting paused \(counters.pausedAtCapacity - loggedCounters.pausedAtCapacity) times"
        }
        line = "connections without an answer since the last note: " + line
        handler.log(line)
        loggedCounters = counters
    }
}
