import HTTP
import Link
import Platform
import Wire

/// One HTTPS request and its answer over a fresh connection, within a time limit for the
/// whole exchange; a timeout says which step was under way (connect, TLS handshake, request,
/// response).
///
/// Two ways to run it. `exchange(...)` runs its own small poll loop and waits for the answer
/// (`p2psip enroll`, a command-line tool). A long-running program with its own loop (the peer
/// fetching the revocation list) calls `start(...)` with that loop and a token, hands every
/// event of the token to `service(_:)` and calls `expire(now:)` from its loop: nothing then
/// blocks, and the exchange ends by its deadline at the latest.
public final class HTTPSClient {
    public struct Answer {
        public let response: HTTPClientResponse
        /// The server's certificates as it sent them (verified against the configuration's
        /// trust anchors during the handshake).
        public let serverChain: PeerCertificateChain
    }

    /// Where an exchange driven from someone else's loop stands after an event.
    public enum Progress {
        case inProgress
        case answered(Answer)
        case failed(HTTPSError)
    }

    enum Step: Equatable {
        case connecting, handshaking, exchanging

        func name(_ address: SocketAddress) -> String {
            switch self {
            case .connecting: return "connect to \(address.description)"
            case .handshaking: return "TLS handshake with \(address.description)"
            case .exchanging: return "HTTP exchange with \(address.description)"
            }
        }
    }

    let address: SocketAddress
    let loop: EventLoop<Int>
    /// The token of our socket in `loop`.
    let token: Int
    let configuration: SecureSessionConfiguration
    let serverName: String?
    let timeLimitMilliseconds: UInt64
    /// When the whole exchange must have ended (set by `start`).
    public private(set) var deadline: Instant
    var step = Step.connecting
    var stream: StreamConnection? = nil
    var session: SecureSession? = nil
    var parser: HTTPResponseParser
    var request: [UInt8]
    var outbound: [UInt8] = []
    var serverChain: PeerCertificateChain? = nil
    var answer: HTTPClientResponse? = nil
    var readBuffer = [UInt8](repeating: 0, count: HTTPSLimits.readChunkBytes)

    /// `request` is a whole HTTP/1.1 request ("Connection: close"); `configuration` a stream
    /// client configuration with the trust anchors; when `serverName` is given it is sent as
    /// SNI and must be a DNS name of the server's certificate.
    public init(
        _ request: [UInt8], to address: SocketAddress, serverName: String?, configuration: SecureSessionConfiguration,
        timeLimitMilliseconds: UInt64, maximumResponseBodyBytes: Int, loop: EventLoop<Int>, token: Int
    ) throws(HTTPSError) {
        guard configuration.role == .client, configuration.transport == .stream else {
            throw .setup("the HTTPS client needs a TLS stream client configuration")
        }
        precondition(timeLimitMilliseconds > 0 && maximumResponseBodyBytes > 0)
        self.address = address
        self.request = request
        self.serverName = serverName
        self.configuration = configuration
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.loop = loop
        self.token = token
        deadline = Clock.monotonicNow().adding(milliseconds: timeLimitMilliseconds)
        parser = HTTPResponseParser(maximumBodyBytes: maximumResponseBodyBytes)
    }

    /// Sends `request` to `address` and waits for the answer on a loop of its own, at most
    /// `timeLimitMilliseconds`. Returns the response and the server's chain.
    public static func exchange(
        _ request: [UInt8], to address: SocketAddress, serverName: String?, configuration: SecureSessionConfiguration,
        timeLimitMilliseconds: UInt64, maximumResponseBodyBytes: Int = HTTPSLimits.maximumResponseBodyBytes
    ) throws(HTTPSError) -> Answer {
        let client = try HTTPSClient(
            request, to: address, serverName: serverName, configuration: configuration, timeLimitMilliseconds: timeLimitMilliseconds,
            maximumResponseBodyBytes: maximumResponseBodyBytes, loop: EventLoop(maximumSources: 1, timerCapacity: 1), token: 0)
        return try client.run()
    }

    func run() throws(HTTPSError) -> Answer {
        defer { close() }
        try start()
        var events: [EventLoop<Int>.Event] = []
        while answer == nil {
            let remaining = Clock.monotonicNow().millisecondsUntil(deadline)
            if remaining == 0 { throw timedOut }
            try platform { () throws(PlatformError) in
                try loop.wait(into: &events, maximumWaitMilliseconds: Int(min(remaining, 1_000)))
            }
            for event in events { try handle(event) }
        }
        return try finished()
    }

    /// Connects (non-blocking) and registers the socket in the loop under the token; the
    /// time limit counts from here.
    public func start() throws(HTTPSError) {
        precondition(stream == nil, "an HTTPS exchange started twice")
        deadline = Clock.monotonicNow().adding(milliseconds: timeLimitMilliseconds)
        let connection = try platform { () throws(PlatformError) in try StreamConnection.connect(tcp: address) }
        stream = connection
        try platform { () throws(PlatformError) in try loop.add(fileDescriptor: connection.fileDescriptor, token: token, interest: .write) }
    }

    /// One event of our token, from the owner's loop. Once the answer or a failure is
    /// returned, the socket is out of the loop and closed.
    public func service(_ event: EventLoop<Int>.Event) -> Progress {
        do throws(HTTPSError) {
            try handle(event)
            guard answer != nil else { return .inProgress }
            let result = try finished()
            close()
            return .answered(result)
        } catch {
            close()
            return .failed(error)
        }
    }

    /// The time limit, from the owner's loop: a failure naming the step once it has passed.
    public func expire(now: Instant) -> HTTPSError? {
        guard deadline <= now else { return nil }
        close()
        return timedOut
    }

    /// Takes the socket out of the loop and closes it (also the way to give up early).
    public func close() {
        guard stream != nil else { return }
        loop.remove(token: token)
        stream = nil
    }

    var timedOut: HTTPSError { .timedOut(step: step.name(address), milliseconds: timeLimitMilliseconds) }

    func finished() throws(HTTPSError) -> Answer {
        guard let answer, let serverChain else { throw .failed(step: step.name(address), reason: "no server certificate") }
        return Answer(response: answer, serverChain: serverChain)
    }

    func handle(_ event: EventLoop<Int>.Event) throws(HTTPSError) {
        guard let connection = stream else { return }
        switch event {
        case .writable:
            if step == .connecting {
                try platform { () throws(PlatformError) in try connection.finishConnect() }
                try startSession()
            }
            try flush(connection)
        case .failed where step == .connecting:
            // A refused or unreachable connect: SO_ERROR says why.
            try platform { () throws(PlatformError) in try connection.finishConnect() }
            try readAvailable(connection)
        case .readable, .failed:
            try readAvailable(connection)
        case .timer, .signal:
            break
        }
    }

    func startSession() throws(HTTPSError) {
        let now = Clock.monotonicNow()
        let started: SecureSession
        do throws(LinkError) {
            started = try SecureSession(connectingWith: configuration, serverName: serverName, now: now)
        } catch {
            throw .failed(step: step.name(address), reason: error.description)
        }
        session = started
        step = .handshaking
        try perform(started.start(now: now))
    }

    func readAvailable(_ connection: StreamConnection) throws(HTTPSError) {
        let result = try platform { () throws(PlatformError) in try connection.read(into: &readBuffer) }
        switch result {
        case .wouldBlock:
            return
        case .closed:
            throw .failed(step: step.name(address), reason: "the server closed the connection before a whole answer")
        case .bytes(let count):
            guard let session else { return }
            try perform(session.receive(Array(readBuffer[0..<count]), now: Clock.monotonicNow()))
            if let stream { try flush(stream) }
        }
    }
}
