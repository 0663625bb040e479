import Crypto
import Platform
import SIP
import Wire

/// A SIP phone inside `p2psip demo` (and nothing else): just enough of an RFC 3261 user
/// agent over UDP on loopback to register with Digest (§10.2, §22.2) and to place or take a
/// call through its peer, the phone's outbound proxy. Every wait has a deadline; what the
/// phone sends and receives is kept as a transcript for the demo to print.
final class DemoPhone {
    let user: String
    let password: [UInt8]
    let domain: [UInt8]
    let socket: UDPSocket
    let address: SocketAddress
    /// Its peer's SIP address: registrar and outbound proxy.
    let proxy: SocketAddress
    var counter: UInt64 = 0
    var cseq: UInt32 = 1
    var buffer = [UInt8](repeating: 0, count: SIPLimits.maximumMessageBytes + 1)
    var transcript: [String] = []

    /// How long the phone waits for an answer (loopback: milliseconds are normal).
    static let answerMilliseconds: UInt64 = 10_000

    init(user: String, password: String, domain: String, proxy: SocketAddress) throws(CommandFailure) {
        self.user = user
        self.password = Array(password.utf8)
        self.domain = Array(domain.utf8)
        self.proxy = proxy
        do throws(PlatformError) {
            socket = try UDPSocket(binding: .v4(address: [127, 0, 0, 1], port: 0))
            address = try socket.localAddress()
        } catch {
            throw .failed("\(user)'s phone: \(error.description)")
        }
    }

    var addressOfRecord: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: Array(user.utf8), host: domain)) }
    var contact: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: Array(user.utf8), host: Array("127.0.0.1".utf8), port: address.port)) }

    func next() -> String {
        counter += 1
        return "\(user)\(address.port)x\(counter)"
    }

    /// A top Via with a new branch (RFC 3261 §8.1.1.7) and rport (RFC 3581).
    func via() -> SIPVia {
        return SIPVia(
            transport: Array("UDP".utf8), host: Array("127.0.0.1".utf8), port: address.port,
            parameters: [SIPParameter(name: Array("branch".utf8), value: Array(("z9hG4bK" + next()).utf8)), SIPParameter(name: Array("rport".utf8), value: nil)])
    }

    func send(_ message: SIPMessage) {
        transcript.append("\(user)'s phone sends     " + DemoPhone.firstLine(message))
        _ = try? socket.send(message.serialize(), to: proxy)
    }

    /// One message that arrived, if any (unparsable datagrams are skipped).
    func poll() -> SIPMessage? {
        for _ in 0..<16 {
            guard case .datagram(let count, _)? = try? socket.receive(into: &buffer) else { return nil }
            if let message = try? SIPMessage.parse(datagram: Array(buffer[0..<count])) {
                transcript.append("\(user)'s phone receives  " + DemoPhone.firstLine(message))
                return message
            }
        }
        return nil
    }

    /// Waits for a final response to the request with `callId` and `method`.
    func finalResponse(callId: [UInt8], method: SIPMethod) -> SIPMessage? {
        let deadline = Clock.monotonicNow().adding(milliseconds: DemoPhone.answerMilliseconds)
        while Clock.monotonicNow() < deadline {
            if let message = poll(), let status = message.statusCode, status >= 200, message.callId == callId, message.cseq.method == method {
                return message
            }
            ChildProcess.sleep(milliseconds: 1)
        }
        return nil
    }

    /// RFC 3261 §10.2: REGISTER, then again with credentials for the 401's first challenge
    /// of an algorithm we know (§22.2; RFC 8760). Returns the final status (0: no answer).
    func register(expires: UInt32) -> Int {
        let callId = Array(("reg-" + next()).utf8)
        var challenge: SIPAuthentication? = nil
        for _ in 0..<2 {
            var request = SIPMessage.request(
                method: .register, uri: SIPURI(host: domain), via: via(), from: tagged(addressOfRecord), to: addressOfRecord,
                callId: callId, sequence: cseq)
            cseq += 1
            request.contacts = [contact]
            request.expires = expires
            if let challenge { request.authorizations = [credentials(challenge, method: .register, uri: SIPURI(host: domain))] }
            send(request)
            guard let answer = finalResponse(callId: callId, method: .register), let status = answer.statusCode else { return 0 }
            guard status == 401, challenge == nil,
                let offered = answer.wwwAuthenticates.first(where: { $0.value("algorithm").flatMap { DigestAlgorithm(name: $0) } != nil })
            else { return status }
            challenge = offered
        }
        return 0
    }

    func tagged(_ address: SIPNameAddress) -> SIPNameAddress {
        var copy = address
        copy.parameters.set("tag", Array(next().utf8))
        return copy
    }

    /// RFC 2617 §3.2.2 with qop=auth, as DigestAuthenticator checks it.
    func credentials(_ challenge: SIPAuthentication, method: SIPMethod, uri: SIPURI) -> SIPAuthentication {
        let algorithm = challenge.value("algorithm").flatMap { DigestAlgorithm(name: $0) } ?? .md5
        let realm = challenge.value("realm") ?? domain
        let nonce = challenge.value("nonce") ?? []
        let cnonce = Array(next().utf8)
        let nonceCount = Array("00000001".utf8)
        let ha1 = algorithm.ha1(username: Array(user.utf8), realm: realm, password: password)
        let response = algorithm.response(ha1: ha1, nonce: nonce, nonceCount: nonceCount, cnonce: cnonce, method: method.bytes, uri: uri.bytes)
        var header = SIPAuthentication(scheme: Array("Digest".utf8), parameters: [])
        header.appendQuoted("username", Array(user.utf8))
        header.appendQuoted("realm", realm)
        header.appendQuoted("nonce", nonce)
        header.appendQuoted("uri", uri.bytes)
        header.appendQuoted("response", response)
        header.appendToken("algorithm", algorithm.name)
        header.appendToken("qop", Array("auth".utf8))
        header.appendToken("nc", nonceCount)
        header.appendQuoted("cnonce", cnonce)
        return header
    }

    static func firstLine(_ message: SIPMessage) -> String {
        let bytes = message.serialize()
        let end = bytes.firstIndex(of: 0x0D) ?? bytes.count
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
