/// Just enough of an RFC 3261 user agent to register with Digest (§10.2, §22.2) and to place
/// or take a call through its outbound proxy (a peer's SIP front): it builds the requests and
/// reads the answers, and its owner moves the datagrams (`p2psip demo` over UDP sockets, the
/// simulator over its network). No I/O, no clock.
public struct SIPPhone {
    public let user: String
    public let password: [UInt8]
    public let domain: [UInt8]
    /// Where the phone receives: the host and port of its Contact and Via.
    public let host: [UInt8]
    public let port: UInt16
    var counter: UInt64 = 0
    var cseq: UInt32 = 1
    /// RFC 3261 §10.2: "all registrations from a UA SHOULD use the same Call-ID".
    var registrationCallId: [UInt8]? = nil
    /// The registration under way: its expiry, and whether it was answered by a challenge.
    var registration: (expires: UInt32, challenged: Bool)? = nil
    /// The last Digest challenge, and how many requests used its nonce: a refresh reuses it
    /// with the next nonce-count (RFC 2617 §3.2.2), saving the 401 round trip.
    var challenge: (header: SIPAuthentication, count: UInt32)? = nil

    public init(user: String, password: String, domain: String, host: String, port: UInt16) {
        self.user = user
        self.password = Array(password.utf8)
        self.domain = Array(domain.utf8)
        self.host = Array(host.utf8)
        self.port = port
    }

    public var addressOfRecord: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: Array(user.utf8), host: domain)) }
    public var contact: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: Array(user.utf8), host: host, port: port)) }

    /// A new token: branches, tags, Call-IDs, cnonces.
    public mutating func next() -> String {
        counter += 1
        return "\(user)\(port)x\(counter)"
    }

    /// A top Via with a new branch (RFC 3261 §8.1.1.7) and rport (RFC 3581).
    public mutating func via() -> SIPVia {
        let branch = "z9hG4bK" + next()
        return SIPVia(
            transport: Array("UDP".utf8), host: host, port: port,
            parameters: [SIPParameter(name: Array("branch".utf8), value: Array(branch.utf8)), SIPParameter(name: Array("rport".utf8), value: nil)])
    }

    public mutating func tagged(_ address: SIPNameAddress) -> SIPNameAddress {
        var copy = address
        copy.parameters.set("tag", Array(next().utf8))
        return copy
    }

    /// What the phone does with an answer to its REGISTER.
    public enum RegistrationStep: Equatable {
        /// Send this (the REGISTER again, with credentials).
        case send(SIPMessage)
        /// The registration ended with this final status.
        case finished(Int)
        /// Not an answer to the registration under way.
        case ignored
    }

    /// RFC 3261 §10.2: a REGISTER (credentials for the last challenge when there was one);
    /// `registrationReceived` takes the answers.
    public mutating func startRegistration(expires: UInt32) -> SIPMessage {
        let callId = registrationCallId ?? Array(("reg-" + next()).utf8)
        registrationCallId = callId
        registration = (expires, false)
        return registerRequest(callId: callId, expires: expires)
    }

    /// A 401 with the first challenge of an algorithm we know (§22.2; RFC 8760) gets the
    /// REGISTER again with credentials, once; any other final answer ends the registration.
    public mutating func registrationReceived(_ answer: SIPMessage) -> RegistrationStep {
        guard let current = registration, let callId = registrationCallId, let status = answer.statusCode, status >= 200,
            answer.callId == callId, answer.cseq.method == .register
        else { return .ignored }
        guard status == 401, !current.challenged,
            let offered = answer.wwwAuthenticates.first(where: { $0.value("algorithm").flatMap { DigestAlgorithm(name: $0) } != nil })
        else {
            registration = nil
            return .finished(status)
        }
        registration?.challenged = true
        challenge = (offered, 0)
        return .send(registerRequest(callId: callId, expires: current.expires))
    }

    mutating func registerRequest(callId: [UInt8], expires: UInt32) -> SIPMessage {
        var request = SIPMessage.request(
            method: .register, uri: SIPURI(host: domain), via: via(), from: tagged(addressOfRecord), to: addressOfRecord,
            callId: callId, sequence: cseq)
        cseq += 1
        request.contacts = [contact]
        request.expires = expires
        if challenge != nil { request.authorizations = [credentials(method: .register, uri: SIPURI(host: domain))] }
        return request
    }

    /// RFC 2617 §3.2.2 with qop=auth for the last challenge, as DigestAuthenticator checks
    /// it: each use of its nonce counts one up.
    mutating func credentials(method: SIPMethod, uri: SIPURI) -> SIPAuthentication {
        guard let (challenge, used) = self.challenge else { return SIPAuthentication(scheme: Array("Digest".utf8), parameters: []) }
        self.challenge = (challenge, used + 1)
        let algorithm = challenge.value("algorithm").flatMap { DigestAlgorithm(name: $0) } ?? .md5
        let realm = challenge.value("realm") ?? domain
        let nonce = challenge.value("nonce") ?? []
        let cnonce = Array(next().utf8)
        let nonceCount = SIPPhone.eightHexDigits(used + 1)
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

    /// "00000001": a nonce-count as RFC 2617 §3.2.2 writes it.
    static func eightHexDigits(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return (0..<8).map { digits[Int((value >> UInt32(28 - 4 * $0)) & 0xF)] }
    }

    /// The first line of a message, for transcripts.
    public static func firstLine(_ message: SIPMessage) -> String {
        let bytes = message.serialize()
        let end = bytes.firstIndex(of: 0x0D) ?? bytes.count
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
