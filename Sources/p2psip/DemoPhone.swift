import Crypto
import Platform
import SIP
import Wire

/// A SIP phone inside `p2psip demo`: SIP's `SIPPhone` (registration with Digest, the
/// messages of a call) over a UDP socket on loopback, with its peer as registrar and outbound
/// proxy. Every wait has a deadline; what the phone sends and receives is kept as a
/// transcript for the demo to print.
final class DemoPhone {
    var phone: SIPPhone
    let socket: UDPSocket
    let address: SocketAddress
    /// Its peer's SIP address: registrar and outbound proxy.
    let proxy: SocketAddress
    var buffer = [UInt8](repeating: 0, count: SIPLimits.maximumMessageBytes + 1)
    var transcript: [String] = []

    /// How long the phone waits for an answer (loopback: milliseconds are normal).
    static let answerMilliseconds: UInt64 = 10_000

    init(user: String, password: String, domain: String, proxy: SocketAddress) throws(CommandFailure) {
        self.proxy = proxy
        do throws(PlatformError) {
            socket = try UDPSocket(binding: .v4(address: [127, 0, 0, 1], port: 0))
            address = try socket.localAddress()
        } catch {
            throw .failed("\(user)'s phone: \(error.description)")
        }
        phone = SIPPhone(user: user, password: password, domain: domain, host: "127.0.0.1", port: address.port)
    }

    var user: String { phone.user }

    func send(_ message: SIPMessage) {
        transcript.append("\(user)'s phone sends     " + SIPPhone.firstLine(message))
        _ = try? socket.send(message.serialize(), to: proxy)
    }

    /// One message that arrived, if any (unparsable datagrams are skipped).
    func poll() -> SIPMessage? {
        for _ in 0..<16 {
            guard case .datagram(let count, _)? = try? socket.receive(into: &buffer) else { return nil }
            if let message = try? SIPMessage.parse(datagram: Array(buffer[0..<count])) {
                transcript.append("\(user)'s phone receives  " + SIPPhone.firstLine(message))
                return message
            }
        }
        return nil
    }

    /// RFC 3261 §10.2 with Digest (SIPPhone): returns the final status (0: no answer in time).
    func register(expires: UInt32) -> Int {
        send(phone.startRegistration(expires: expires))
        let deadline = Clock.monotonicNow().adding(milliseconds: 2 * DemoPhone.answerMilliseconds)
        while Clock.monotonicNow() < deadline {
            guard let message = poll() else {
                ChildProcess.sleep(milliseconds: 1)
                continue
            }
            switch phone.registrationReceived(message) {
            case .send(let again): send(again)
            case .finished(let status): return status
            case .ignored: continue
            }
        }
        return 0
    }
}
