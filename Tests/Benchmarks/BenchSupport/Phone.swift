import Foundation
import SIP

/// A SIP phone for the benchmarks: SIP's `SIPPhone` (Digest registration, refreshes that reuse
/// the challenge's nonce, the messages of a call) on a UDP socket of its own on a loopback
/// address (127.0.0.1 unless told: a password guesser takes others).
/// Every wait is bounded by poll(2).
public final class Phone {
    public var phone: SIPPhone
    public let descriptor: Int32
    public let port: UInt16
    public let proxyPort: UInt16

    public init(user: String, password: String, domain: String, proxyPort: UInt16, host: String = "127.0.0.1") throws {
        self.proxyPort = proxyPort
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket: errno \(errno)") }
        var address = Phone.loopback(0)
        address.sin_addr.s_addr = inet_addr(host)
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
        phone = SIPPhone(user: user, password: password, domain: domain, host: host, port: port)
    }

    deinit { close(descriptor) }

    public var user: String { phone.user }

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    public func send(_ message: SIPMessage) {
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
    public func receive(milliseconds: Int32) -> SIPMessage? {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? SIPMessage.parse(datagram: Array(buffer[0..<count]))
    }

    /// One REGISTER (a refresh after the first reuses the last challenge's nonce with the next
    /// nonce-count); a 401 is answered once. The final status, 0 without one within `seconds`.
    public func register(expires: UInt32 = 3600, seconds: Double = 10) -> Int {
        send(phone.startRegistration(expires: expires))
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let message = receive(milliseconds: 100) else { continue }
            switch phone.registrationReceived(message) {
            case .send(let again): send(again)
            case .finished(let status): return status
            case .ignored: continue
            }
        }
        return 0
    }
}

public enum CallOutcome {
    case completed(setupMilliseconds: Double)
    case refused(Int)
    case noAnswer
}

/// One call (SIP's SIPCall: INVITE, 180, 200, ACK, BYE, 200): INVITE-to-200 milliseconds, the
/// final status of a refused call, or no answer within 10 s.
public func call(_ alice: Phone, _ bob: Phone) -> CallOutcome {
    var call = SIPCall(from: &alice.phone, to: bob.user)
    let started = DispatchTime.now().uptimeNanoseconds
    alice.send(call.invite)
    var setup: Double? = nil
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline && !call.finished && call.failure == nil {
        var descriptors = [pollfd(fd: alice.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: bob.descriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, 2, 100) > 0 else { continue }
        if descriptors[1].revents != 0, let message = bob.receive(milliseconds: 0) {
            for reply in call.calleeReceived(message, callee: bob.phone) { bob.send(reply) }
        }
        if descriptors[0].revents != 0, let message = alice.receive(milliseconds: 0) {
            for request in call.callerReceived(message, caller: &alice.phone) { alice.send(request) }
            if call.answered && setup == nil { setup = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
        }
    }
    if let status = call.refusedStatus { return .refused(status) }
    guard call.finished, let setup else { return .noAnswer }
    return .completed(setupMilliseconds: setup)
}
