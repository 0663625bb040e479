import BenchSupport
import Foundation
import SIP

/// A SIP phone for the benchmark: an RFC 3261 UA on a UDP socket of its own (loopback), with
/// Digest (RFC 2617 qop=auth, as the peers check it). Every wait is bounded by poll(2).
final class Phone {
    let user: String
    let password: [UInt8]
    let domain: [UInt8]
    let descriptor: Int32
    let port: UInt16
    let proxyPort: UInt16
    var counter = 0
    var cseq: UInt32 = 1
    /// The last challenge: refreshes reuse its nonce with the next nonce-count.
    var challenge: SIPAuthentication? = nil
    var nonceCount: UInt32 = 0

    init(user: String, password: String, domain: String, proxyPort: UInt16) throws {
        self.user = user
        self.password = Array(password.utf8)
        self.domain = Array(domain.utf8)
        self.proxyPort = proxyPort
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket: errno \(errno)") }
        var address = Phone.loopback(0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw BenchFailure("bind: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    var addressOfRecord: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: Array(user.utf8), host: domain)) }
    var contact: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: Array(user.utf8), host: Array("127.0.0.1".utf8), port: port)) }

    func next() -> String {
        counter += 1
        return "\(user)\(port)b\(counter)"
    }

    func via() -> SIPVia {
        SIPVia(transport: Array("UDP".utf8), host: Array("127.0.0.1".utf8), port: port,
               parameters: [SIPParameter(name: Array("branch".utf8), value: Array(("z9hG4bK" + next()).utf8))])
    }

    func send(_ message: SIPMessage) {
        var address = Phone.loopback(proxyPort)
        let bytes = message.serialize()
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next message within `milliseconds`, or nil.
    func receive(milliseconds: Int32) -> SIPMessage? {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? SIPMessage.parse(datagram: Array(buffer[0..<count]))
    }

    /// Waits for the final response to (callId, method); nil after `milliseconds`.
    func finalResponse(callId: [UInt8], method: SIPMethod, milliseconds: Double = 10_000) -> SIPMessage? {
        let deadline = Date().addingTimeInterval(milliseconds / 1000)
        while Date() < deadline {
            guard let message = receive(milliseconds: 100) else { continue }
            if let status = message.statusCode, status >= 200, message.callId == callId, message.cseq.method == method { return message }
        }
        return nil
    }

    /// One REGISTER (a refresh after the first: the last challenge's nonce, next nonce-count);
    /// a 401 is answered once. The final status, 0 without one.
    func register(callId: [UInt8], expires: UInt32 = 3600) -> Int {
        for _ in 0..<2 {
            var request = SIPMessage.request(
                method: .register, uri: SIPURI(host: domain), via: via(), from: tagged(addressOfRecord), to: addressOfRecord,
                callId: callId, sequence: cseq)
            cseq += 1
            request.contacts = [contact]
            request.expires = expires
            if let challenge {
                nonceCount += 1
                request.authorizations = [credentials(challenge, method: .register, uri: SIPURI(host: domain))]
            }
            send(request)
            guard let answer = finalResponse(callId: callId, method: .register), let status = answer.statusCode else { return 0 }
            guard status == 401, let offered = answer.wwwAuthenticates.first else { return status }
            challenge = offered
            nonceCount = 0
        }
        return 0
    }

    func tagged(_ address: SIPNameAddress) -> SIPNameAddress {
        var copy = address
        copy.parameters.set("tag", Array(next().utf8))
        return copy
    }

    func credentials(_ challenge: SIPAuthentication, method: SIPMethod, uri: SIPURI) -> SIPAuthentication {
        let algorithm = challenge.value("algorithm").flatMap { DigestAlgorithm(name: $0) } ?? .md5
        let realm = challenge.value("realm") ?? domain
        let nonce = challenge.value("nonce") ?? []
        let cnonce = Array(next().utf8)
        let count = Array(String(format: "%08x", nonceCount).utf8)
        let ha1 = algorithm.ha1(username: Array(user.utf8), realm: realm, password: password)
        let response = algorithm.response(ha1: ha1, nonce: nonce, nonceCount: count, cnonce: cnonce, method: method.bytes, uri: uri.bytes)
        var header = SIPAuthentication(scheme: Array("Digest".utf8), parameters: [])
        header.appendQuoted("username", Array(user.utf8))
        header.appendQuoted("realm", realm)
        header.appendQuoted("nonce", nonce)
        header.appendQuoted("uri", uri.bytes)
        header.appendQuoted("response", response)
        header.appendToken("algorithm", algorithm.name)
        header.appendToken("qop", Array("auth".utf8))
        header.appendToken("nc", count)
        header.appendQuoted("cnonce", cnonce)
        return header
    }
}
