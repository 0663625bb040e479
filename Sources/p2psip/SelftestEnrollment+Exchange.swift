import Config
import Crypto
import Enrollment
import HTTP
import Link
import Wire

extension SelftestEnrollment {
    /// Handshake, POST /enroll, answer: bytes delivered both ways until the client has the
    /// whole response (bounded rounds).
    func exchange(client: SecureSession, server: SecureSession, service: EnrollmentService) throws(Failure) {
        let at = Instant(nanoseconds: 1_000_000_000)
        let key = try SelftestEnrollment.crypto("node key") { () throws(CryptoError) in try PrivateKey.generateP256(using: random) }
        nodeKey = key
        let request = try SelftestEnrollment.crypto("request") { () throws(CryptoError) -> [UInt8] in
            EnrollmentClient.enrollRequest(
                host: SelftestEnrollment.overlay, username: "alice", password: Array("alice-pw".utf8), nodeIds: nil,
                csr: try CertificateSigningRequest.create(subject: "CN=alice", key: key, using: random),
                boundary: try EnrollmentClient.boundary(using: random))
        }
        absorbClient(client.start(now: at), client: client, request: request, at: at)
        for _ in 0..<SelftestEnrollment.maximumRounds where response == nil {
            let forServer = toServer
            toServer = []
            if !forServer.isEmpty { absorbServer(server.receive(forServer, now: at), server: server, service: service, at: at) }
            let forClient = toClient
            toClient = []
            if !forClient.isEmpty { absorbClient(client.receive(forClient, now: at), client: client, request: request, at: at) }
            if forServer.isEmpty && forClient.isEmpty { break }
        }
        if response == nil { throw Failure(reason: "no answer: client \(client.state.description), server \(server.state.description)") }
    }

    func absorbClient(_ actions: [SecureSessionAction], client: SecureSession, request: [UInt8], at: Instant) {
        for action in actions {
            switch action {
            case .transmit(let bytes): toServer += bytes
            case .handshakeCompleted:
                for case .transmit(let bytes) in (try? client.send(request, now: at)) ?? [] { toServer += bytes }
            case .plaintext(let bytes):
                if case .response(let answer) = clientResponse.feed(bytes) { response = answer }
            case .closed, .failed, .keyLogLine: continue
            }
        }
    }

    func absorbServer(_ actions: [SecureSessionAction], server: SecureSession, service: EnrollmentService, at: Instant) {
        for action in actions {
            switch action {
            case .transmit(let bytes): toClient += bytes
            case .plaintext(let bytes):
                guard let answer = service.answer(serverRequest.feed(bytes), source: [127, 0, 0, 1], now: now, using: random) else { continue }
                for case .transmit(let bytes) in (try? server.send(answer.response.serialized(), now: at)) ?? [] { toClient += bytes }
            case .handshakeCompleted, .closed, .failed, .keyLogLine: continue
            }
        }
    }

    /// The answer as `p2psip enroll` judges it: our key, the root, one Node-ID, our user name.
    func checkAnswer(_ configuration: OverlayConfiguration) throws(Failure) {
        guard let response, let nodeKey else { throw Failure(reason: "no answer") }
        let verifier = try SelftestEnrollment.enrollment("trust") { () throws(EnrollmentError) in
            try OverlayTrust.verifier(for: configuration)
        }
        let publicKey = try SelftestEnrollment.crypto("public key") { () throws(CryptoError) in try nodeKey.publicKeyDER() }
        switch EnrollmentClient.interpret(response, publicKey: publicKey, verifier: verifier, now: now.civilTime) {
        case .enrolled(_, let identity):
            guard identity.nodeIds.count == 1, identity.userName == "alice@" + SelftestEnrollment.overlay else {
                throw Failure(reason: "certificate names \(identity.userName) with \(identity.nodeIds.count) Node-IDs")
            }
        case .refused(let status, let token):
            throw Failure(reason: "refused: \(status) \(token)")
        case .invalid(let reason):
            throw Failure(reason: "answer: \(reason)")
        }
    }
}
