import Link
import Wire

/// What one end of a session pair saw.
public struct SessionEvents {
    public var plaintext: [[UInt8]] = []
    public var completed: PeerCertificateChain? = nil
    public var failure: LinkError? = nil
    public var closed = false
    public var keyLogLines: [String] = []
    public var transmitted = 0

    public init() {}

    public mutating func absorb(_ actions: [SecureSessionAction], outgoing: inout [[UInt8]]) {
        for action in actions {
            switch action {
            case .transmit(let bytes):
                outgoing.append(bytes)
                transmitted += 1
            case .handshakeCompleted(let chain): completed = chain
            case .plaintext(let bytes): plaintext.append(bytes)
            case .keyLogLine(let line): keyLogLines.append(line)
            case .closed: closed = true
            case .failed(let error): failure = error
            }
        }
    }
}

/// A client and a server SecureSession over an in-memory "network", for the Link tests and
/// link-bench: datagrams (or stream chunks) in flight in each direction, delivered in order
/// unless a test drops or duplicates them, on a clock that moves only when told. DTLS servers
/// come from a DatagramListener, as in a peer.
public final class SessionPair {
    public let client: SecureSession
    public var server: SecureSession?
    public let listener: DatagramListener?
    public let address: PeerAddress
    public var now: Instant
    public var clientEvents = SessionEvents()
    public var serverEvents = SessionEvents()
    public var toServer: [[UInt8]] = []
    public var toClient: [[UInt8]] = []
    /// Every datagram that went either way, for replay tests and captures.
    public var wire: [(toServer: Bool, bytes: [UInt8])] = []
    /// Why the listener dropped datagrams (none in a handshake that goes right).
    public var listenerDrops: [DatagramListenerDropReason] = []
    /// Stream mode: deliver in chunks of at most this many bytes.
    public var streamChunkBytes = Int.max

    public static let startTime = Instant(nanoseconds: 1_000_000_000)

    public convenience init(
        client: SecureSessionConfiguration, server: SecureSessionConfiguration, address: [UInt8] = [10, 0, 0, 1, 0x17, 0xc4]
    ) throws {
        let listener = server.transport == .datagram ? try DatagramListener(configuration: server, now: Self.startTime) : nil
        let stream = server.transport == .datagram ? nil : try SecureSession(acceptingWith: server, now: Self.startTime)
        try self.init(client: client, listener: listener, server: stream, address: PeerAddress(bytes: address)!, now: Self.startTime)
    }

    /// A client to a listener shared with other pairs (many handshakes to one server).
    public convenience init(client: SecureSessionConfiguration, listener: DatagramListener, address: PeerAddress, now: Instant) throws {
        try self.init(client: client, listener: listener, server: nil, address: address, now: now)
    }

    init(client: SecureSessionConfiguration, listener: DatagramListener?, server: SecureSession?, address: PeerAddress, now: Instant) throws {
        self.address = address
        self.now = now
        self.client = try SecureSession(connectingWith: client, now: now)
        self.listener = listener
        self.server = server
    }

    public func start() {
        clientEvents.absorb(client.start(now: now), outgoing: &toServer)
    }

    /// Delivers everything in flight, both ways, until nothing moves (bounded).
    public func run(steps: Int = 200) {
        for _ in 0..<steps {
            if toServer.isEmpty && toClient.isEmpty { return }
            deliverAllToServer()
            deliverAllToClient()
        }
    }

    /// Starts the handshake and runs it to its end: both ends established, or this throws
    /// with what each end and the listener said.
    public func establish(steps: Int = 20) throws {
        start()
        run(steps: steps)
        guard handshakeCompleted, client.state == .established, server?.state == .established else {
            throw HandshakeFailure(
                description: "handshake did not complete: client \(client.state) \(String(describing: clientEvents.failure)), "
                    + "server \(String(describing: server?.state)) \(String(describing: serverEvents.failure)), listener drops \(listenerDrops)")
        }
    }

    public struct HandshakeFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Delivers what is in flight to the server only (one hop).
    public func deliverAllToServer() {
        let forServer = toServer
        toServer = []
        for bytes in forServer { deliverToServer(bytes) }
    }

    public func deliverAllToClient() {
        let forClient = toClient
        toClient = []
        for bytes in forClient { deliverToClient(bytes) }
    }

    public func tickBoth() {
        clientEvents.absorb(client.tick(now: now), outgoing: &toServer)
        if let server { serverEvents.absorb(server.tick(now: now), outgoing: &toClient) }
    }

    public func advance(milliseconds: UInt64) { now = now.adding(milliseconds: milliseconds) }

    public func deliverToServer(_ bytes: [UInt8]) {
        wire.append((toServer: true, bytes: bytes))
        for chunk in chunks(bytes) {
            if let server {
                serverEvents.absorb(server.receive(chunk, now: now), outgoing: &toClient)
                continue
            }
            guard let listener else { return }
            switch listener.receive(chunk, from: address, now: now) {
            case .reply(let datagrams): toClient += datagrams
            case .accepted(let session, let actions):
                server = session
                serverEvents.absorb(actions, outgoing: &toClient)
            case .dropped(let reason): listenerDrops.append(reason)
            case .makeRoom: listenerDrops.append(.halfOpenLimit)  // never: no `mayEvict`
            }
        }
    }

    public func deliverToClient(_ bytes: [UInt8]) {
        wire.append((toServer: false, bytes: bytes))
        for chunk in chunks(bytes) { clientEvents.absorb(client.receive(chunk, now: now), outgoing: &toServer) }
    }

    func chunks(_ bytes: [UInt8]) -> [[UInt8]] {
        guard streamChunkBytes < bytes.count else { return [bytes] }
        return stride(from: 0, to: bytes.count, by: streamChunkBytes).map { Array(bytes[$0..<min($0 + streamChunkBytes, bytes.count)]) }
    }

    public func clientSends(_ text: String) throws {
        clientEvents.absorb(try client.send(Array(text.utf8), now: now), outgoing: &toServer)
    }

    public func serverSends(_ text: String) throws {
        serverEvents.absorb(try server!.send(Array(text.utf8), now: now), outgoing: &toClient)
    }

    public var handshakeCompleted: Bool { clientEvents.completed != nil && serverEvents.completed != nil }
}

extension Array where Element == [UInt8] {
    /// Each element as UTF-8 text.
    public var texts: [String] { map { String(decoding: $0, as: UTF8.self) } }
}

extension SessionPair {
    /// `client` connecting to `server` (TestPKI identities, their default configurations),
    /// started and run until nothing moves: a completed handshake, or a failed one for the
    /// test to look at.
    public static func handshake(
        _ client: TestPKI.Identity, to server: TestPKI.Identity, transport: SecureSessionConfiguration.Transport = .datagram,
        keyLog: Bool = false
    ) throws -> SessionPair {
        let pair = try SessionPair(
            client: try TestConfigurations.make(client, role: .client, transport: transport, keyLog: keyLog),
            server: try TestConfigurations.make(server, role: .server, transport: transport, keyLog: keyLog))
        pair.start()
        pair.run()
        return pair
    }
}
