import HTTP
import Link
import Platform
import Wire

/// One HTTPS request and its answer over a fresh connection (`p2psip enroll`), within a time
/// limit for the whole exchange. It runs its own small poll loop: the caller (a command-line
/// tool) waits for the answer, but never longer than the limit, and a timeout says which step
/// was under way (connect, TLS handshake, request, response).
public final class HTTPSClient {
    public struct Answer {
        public let response: HTTPClientResponse
        /// The server's certificates as it sent them (verified against the configuration's
        /// trust anchors during the handshake).
        public let serverChain: PeerCertificateChain
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
    var step = Step.connecting
    var stream: StreamConnection? = nil
    var session: SecureSession? = nil
    var parser: HTTPResponseParser
    var request: [UInt8]
    var outbound: [UInt8] = []
    var serverChain: PeerCertificateChain? = nil
    var answer: HTTPClientResponse? = nil
    var readBuffer = [UInt8](repeating: 0, count: HTTPSLimits.readChunkBytes)

    init(address: SocketAddress, request: [UInt8], maximumResponseBodyBytes: Int) {
        self.address = address
        self.request = request
        parser = HTTPResponseParser(maximumBodyBytes: maximumResponseBodyBytes)
        loop = EventLoop(maximumSources: 1, timerCapacity: 1)
    }

    /// Sends `request` (a whole HTTP/1.1 request, "Connection: close") to `address` over TLS
    /// with `configuration` (a stream client configuration with the trust anchors); when
    /// `serverName` is given it is sent as SNI and must be a DNS name of the server's
    /// certificate. Returns the response and the server's chain.
    public static func exchange(
        _ request: [UInt8], to address: SocketAddress, serverName: String?, configuration: SecureSessionConfiguration,
        timeLimitMilliseconds: UInt64, maximumResponseBodyBytes: Int = HTTPSLimits.maximumResponseBodyBytes
    ) throws(HTTPSError) -> Answer {
        guard configuration.role == .client, configuration.transport == .stream else {
            throw .setup("the HTTPS client needs a TLS stream client configuration")
        }
        let client = HTTPSClient(address: address, request: request, maximumResponseBodyBytes: maximumResponseBodyBytes)
        return try client.run(configuration: configuration, serverName: serverName, timeLimitMilliseconds: timeLimitMilliseconds)
    }

    func run(
        configuration: SecureSessionConfiguration, serverName: String?, timeLimitMilliseconds: UInt64
    ) throws(HTTPSError) -> Answer {
        let connection = try platform { () throws(PlatformError) in try StreamConnection.connect(tcp: address) }
        stream = connection
        try platform { () throws(PlatformError) in try loop.add(fileDescriptor: connection.fileDescriptor, token: 0, interest: .write) }
        let deadline = Clock.monotonicNow().adding(milliseconds: timeLimitMilliseconds)
        var events: [EventLoop<Int>.Event] = []
        while answer == nil {
            let remaining = Clock.monotonicNow().millisecondsUntil(deadline)
            if remaining == 0 { throw .timedOut(step: step.name(address), milliseconds: timeLimitMilliseconds) }
            try platform { () throws(PlatformError) in
                try loop.wait(into: &events, maximumWaitMilliseconds: Int(min(remaining, 1_000)))
            }
            for event in events {
                try handle(event, connection: connection, configuration: configuration, serverName: serverName)
            }
        }
        guard let answer, let serverChain else { throw .failed(step: step.name(address), reason: "no server certificate") }
        return Answer(response: answer, serverChain: serverChain)
    }

    func handle(
        _ event: EventLoop<Int>.Event, connection: StreamConnection, configuration: SecureSessionConfiguration, serverName: String?
    ) throws(HTTPSError) {
        switch event {
        case .writable:
            if step == .connecting {
                try platform { () throws(PlatformError) in try connection.finishConnect() }
                try startSession(configuration: configuration, serverName: serverName)
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

    func startSession(configuration: SecureSessionConfiguration, serverName: String?) throws(HTTPSError) {
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
