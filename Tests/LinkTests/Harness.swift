import Foundation
import Link
import Wire

/// What one side of a test connection saw.
struct SideEvents {
    var plaintext: [[UInt8]] = []
    var completed: PeerCertificateChain? = nil
    var failure: LinkError? = nil
    var closed = false
    var keyLogLines: [String] = []
    var transmitted = 0

    mutating func absorb(_ actions: [SecureSessionAction], outgoing: inout [[UInt8]]) {
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

/// A client and a server over an in-memory "network": datagrams (or stream chunks) in flight
/// in each direction, delivered in order unless a test drops or duplicates them. DTLS servers
/// come from a DatagramListener, as in a peer.
final class Connection {
    let client: SecureSession
    var server: SecureSession?
    let listener: DatagramListener?
    let address: PeerAddress
    var now = Instant(nanoseconds: 1_000_000_000)
    var clientEvents = SideEvents()
    var serverEvents = SideEvents()
    var toServer: [[UInt8]] = []
    var toClient: [[UInt8]] = []
    /// Every datagram that went to the server, for replay tests and captures.
    var wire: [(toServer: Bool, bytes: [UInt8])] = []
    /// Stream mode: deliver in chunks of at most this many bytes.
    var streamChunkBytes = Int.max

    init(client: SecureSessionConfiguration, server: SecureSessionConfiguration, address: [UInt8] = [10, 0, 0, 1, 0x17, 0xc4]) throws {
        self.address = PeerAddress(bytes: address)!
        self.client = try SecureSession(connectingWith: client, now: now)
        if server.transport == .datagram {
            listener = try DatagramListener(configuration: server, now: now)
        } else {
            listener = nil
            self.server = try SecureSession(acceptingWith: server, now: now)
        }
    }

    func start() {
        clientEvents.absorb(client.start(now: now), outgoing: &toServer)
    }

    /// Delivers everything in flight, both ways, until nothing moves (bounded).
    func run(steps: Int = 200) {
        for _ in 0..<steps {
            if toServer.isEmpty && toClient.isEmpty { return }
            deliverAllToServer()
            deliverAllToClient()
        }
    }

    /// Delivers what is in flight to the server only (one hop), returning nothing.
    func deliverAllToServer() {
        let forServer = toServer
        toServer = []
        for bytes in forServer { deliverToServer(bytes) }
    }

    func deliverAllToClient() {
        let forClient = toClient
        toClient = []
        for bytes in forClient { deliverToClient(bytes) }
    }

    func tickBoth() {
        clientEvents.absorb(client.tick(now: now), outgoing: &toServer)
        if let server { serverEvents.absorb(server.tick(now: now), outgoing: &toClient) }
    }

    func advance(milliseconds: UInt64) { now = now.adding(milliseconds: milliseconds) }

    func deliverToServer(_ bytes: [UInt8]) {
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
            case .dropped: break
            }
        }
    }

    func deliverToClient(_ bytes: [UInt8]) {
        wire.append((toServer: false, bytes: bytes))
        for chunk in chunks(bytes) { clientEvents.absorb(client.receive(chunk, now: now), outgoing: &toServer) }
    }

    func chunks(_ bytes: [UInt8]) -> [[UInt8]] {
        guard streamChunkBytes < bytes.count else { return [bytes] }
        return stride(from: 0, to: bytes.count, by: streamChunkBytes).map { Array(bytes[$0..<min($0 + streamChunkBytes, bytes.count)]) }
    }

    func clientSends(_ text: String) throws {
        clientEvents.absorb(try client.send(Array(text.utf8), now: now), outgoing: &toServer)
    }

    func serverSends(_ text: String) throws {
        serverEvents.absorb(try server!.send(Array(text.utf8), now: now), outgoing: &toClient)
    }

    var handshakeCompleted: Bool { clientEvents.completed != nil && serverEvents.completed != nil }
}

extension Array where Element == [UInt8] {
    var texts: [String] { map { String(decoding: $0, as: UTF8.self) } }
}
