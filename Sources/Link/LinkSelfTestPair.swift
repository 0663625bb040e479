import Wire

/// A client and a server session joined by an in-memory "network", for the self-test: DTLS
/// servers come from a DatagramListener (cookie exchange included), as in a peer.
final class LinkSelfTestPair {
    let client: SecureSession
    let listener: DatagramListener?
    var server: SecureSession?
    let now: Instant
    let address = PeerAddress(bytes: [127, 0, 0, 1, 0x17, 0xc4])!
    var toServer: [[UInt8]] = []
    var toClient: [[UInt8]] = []
    var clientPlaintext: [[UInt8]] = []
    var serverPlaintext: [[UInt8]] = []
    var clientKeyLog: [String] = []
    var serverKeyLog: [String] = []
    var clientPeer: PeerCertificateChain? = nil
    var serverPeer: PeerCertificateChain? = nil
    /// The last datagram delivered to the server (for the replay check).
    var lastToServer: [UInt8] = []

    static let maximumRounds = 32

    init(client: SecureSessionConfiguration, server: SecureSessionConfiguration, now: Instant) throws(LinkError) {
        self.now = now
        self.client = try SecureSession(connectingWith: client, now: now)
        if server.transport == .datagram {
            listener = try DatagramListener(configuration: server, halfOpenLimit: 1, now: now)
        } else {
            listener = nil
            self.server = try SecureSession(acceptingWith: server, now: now)
        }
        absorbClient(self.client.start(now: now))
    }

    /// Delivers everything in flight both ways until nothing moves (bounded).
    func run() {
        var rounds = 0
        while rounds < LinkSelfTestPair.maximumRounds && !(toServer.isEmpty && toClient.isEmpty) {
            let forServer = toServer
            toServer = []
            for bytes in forServer { deliverToServer(bytes) }
            let forClient = toClient
            toClient = []
            for bytes in forClient { absorbClient(client.receive(bytes, now: now)) }
            rounds += 1
        }
    }

    func deliverToServer(_ bytes: [UInt8]) {
        lastToServer = bytes
        if let server {
            absorbServer(server.receive(bytes, now: now))
            return
        }
        guard let listener else { return }
        switch listener.receive(bytes, from: address, now: now) {
        case .reply(let datagrams): toClient += datagrams
        case .accepted(let session, let actions):
            server = session
            absorbServer(actions)
        case .dropped, .makeRoom: break
        }
    }

    func absorbClient(_ actions: [SecureSessionAction]) {
        for action in actions {
            switch action {
            case .transmit(let bytes): toServer.append(bytes)
            case .plaintext(let bytes): clientPlaintext.append(bytes)
            case .keyLogLine(let line): clientKeyLog.append(line)
            case .handshakeCompleted(let chain): clientPeer = chain
            case .closed, .failed: break
            }
        }
    }

    func absorbServer(_ actions: [SecureSessionAction]) {
        for action in actions {
            switch action {
            case .transmit(let bytes): toClient.append(bytes)
            case .plaintext(let bytes): serverPlaintext.append(bytes)
            case .keyLogLine(let line): serverKeyLog.append(line)
            case .handshakeCompleted(let chain): serverPeer = chain
            case .closed, .failed: break
            }
        }
    }
}
