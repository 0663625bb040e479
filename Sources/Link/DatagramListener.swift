import CMbedTLS
import Wire

/// The DTLS server side for addresses without a session: RFC 6347 §4.2.1's stateless cookie
/// exchange in front of the handshake.
///
/// One shared server context serves every unknown address. For each datagram the listener
/// checks, cheapest first: size, that it is one whole ClientHello, its cookie (one
/// HMAC over the address). Without a valid cookie, the shared context (reset, bound to the
/// address) answers with a HelloVerifyRequest and the listener forgets the address. With a
/// valid cookie and a free half-open slot, the context runs the handshake's first step (the
/// server's flight, with its signature) and is handed over as a new SecureSession; a fresh
/// context becomes the shared one. So an attacker who cannot receive at the addresses it
/// claims creates no state and costs no public-key operation; one who can is bounded by the
/// half-open limit.
public final class DatagramListener {
    public let configuration: SecureSessionConfiguration
    public private(set) var counters = DatagramListenerCounters()
    let budget: HalfOpenBudget
    /// The shared context; nil after a handover until the next datagram needs it.
    var shared: SecureSession?

    public init(configuration: SecureSessionConfiguration, halfOpenLimit: Int = LinkLimits.defaultHalfOpenLimit, now: Instant) throws(LinkError) {
        precondition(configuration.role == .server && configuration.transport == .datagram,
                     "a DatagramListener needs a DTLS server configuration")
        guard halfOpenLimit > 0 && halfOpenLimit <= LinkLimits.maximumHalfOpenLimit else {
            throw .invalidConfiguration("half-open limit \(halfOpenLimit) (1...\(LinkLimits.maximumHalfOpenLimit))")
        }
        self.configuration = configuration
        budget = HalfOpenBudget(limit: halfOpenLimit)
        shared = try SecureSession(configuration: configuration, now: now)
    }

    public var halfOpenLimit: Int { budget.limit }
    /// Accepted sessions whose handshake has not ended.
    public var halfOpenCount: Int { budget.inUse }

    /// Handles one datagram from `address`, for which the owner has no session. With
    /// `mayAccept` false no handshake starts (valid cookies count as over the half-open
    /// limit): the owner's own budget, e.g. for handshakes it started itself, is spent.
    public func receive(_ datagram: [UInt8], from address: PeerAddress, now: Instant, mayAccept: Bool = true) -> DatagramListenerOutcome {
        guard datagram.count <= LinkLimits.maximumDatagramBytes, let hello = ClientHelloCookie.parse(datagram) else {
            counters.droppedNotClientHello += 1
            return .dropped(.notClientHello)
        }
        let cookieValid = configuration.isValidCookie(hello.cookie, clientId: address.bytes)
        if cookieValid {
            counters.cookiesValid += 1
            if budget.isExhausted || !mayAccept {
                counters.droppedOverLimit += 1
                return .dropped(.halfOpenLimit)
            }
        }
        return feed(datagram, from: address, expectingHandshake: cookieValid, now: now)
    }

    func feed(_ datagram: [UInt8], from address: PeerAddress, expectingHandshake: Bool, now: Instant) -> DatagramListenerOutcome {
        let session: SecureSession
        do throws(LinkError) {
            if let existing = shared {
                session = existing
            } else {
                session = try SecureSession(configuration: configuration, now: now)
                shared = session
            }
            try session.resetForListener(clientId: address.bytes, now: now)
        } catch {
            shared = nil
            counters.handshakesFailed += 1
            return .dropped(.handshakeFailed(error))
        }
        var actions: [SecureSessionAction] = []
        let accepted = session.inbound.push(datagram)
        precondition(accepted, "a reset session takes one datagram")
        let code = session.advanceHandshake(into: &actions)
        session.flushOutbound(into: &actions)
        if code == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED {
            // RFC 6347 §4.2.1: answer from the address alone and keep nothing about it.
            counters.helloVerifySent += 1
            _ = try? session.resetForListener(clientId: [], now: now)
            return .reply(SecureSession.transmissions(in: actions))
        }
        guard expectingHandshake, session.state == .handshaking, code == MBEDTLS_ERR_SSL_WANT_READ else {
            counters.handshakesFailed += 1
            if case .failed(let error) = session.state { return .dropped(.handshakeFailed(error)) }
            return .dropped(.handshakeFailed(.protocolFailure(code: code)))
        }
        budget.acquire()
        session.halfOpenSlot = budget
        counters.handshakesAccepted += 1
        shared = try? SecureSession(configuration: configuration, now: now)
        return .accepted(session, actions)
    }
}
