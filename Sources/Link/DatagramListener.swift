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
/// half-open limit, and per host (`HandshakeSourceLimits`): half-open handshakes at once, a
/// token bucket of new ones, a short half-open lifetime, and a ban after its identity was
/// refused. When every slot is taken the oldest half-open handshake gives way (`.makeRoom`),
/// so a flood from many hosts that answer cookies delays an honest handshake, never blocks it.
public final class DatagramListener {
    public let configuration: SecureSessionConfiguration
    var tally = DatagramListenerCounters()
    let budget: HalfOpenBudget
    var sources: HandshakeSources
    /// The shared context; nil after a handover until the next datagram needs it.
    var shared: SecureSession?

    public init(
        configuration: SecureSessionConfiguration, halfOpenLimit: Int = LinkLimits.defaultHalfOpenLimit,
        sourceLimits: HandshakeSourceLimits = HandshakeSourceLimits(), now: Instant
    ) throws(LinkError) {
        precondition(configuration.role == .server && configuration.transport == .datagram,
                     "a DatagramListener needs a DTLS server configuration")
        guard halfOpenLimit > 0 && halfOpenLimit <= LinkLimits.maximumHalfOpenLimit else {
            throw .invalidConfiguration("half-open limit \(halfOpenLimit) (1...\(LinkLimits.maximumHalfOpenLimit))")
        }
        if let problem = sourceLimits.problem { throw .invalidConfiguration(problem) }
        self.configuration = configuration
        budget = HalfOpenBudget(limit: halfOpenLimit)
        sources = HandshakeSources(limits: sourceLimits)
        shared = try SecureSession(configuration: configuration, now: now)
    }

    /// What the listener did, and how many of its half-open handshakes ran out of time.
    public var counters: DatagramListenerCounters {
        var counters = tally
        counters.halfOpenExpired = budget.expired
        return counters
    }

    public var halfOpenLimit: Int { budget.limit }
    /// Accepted sessions whose handshake has not ended.
    public var halfOpenCount: Int { budget.inUse }

    public var sourceLimits: HandshakeSourceLimits { sources.limits }

    /// Handles one datagram from `address`, for which the owner has no session. With
    /// `mayAccept` false no handshake starts (valid cookies count as over the half-open
    /// limit): the owner's own budget, e.g. for handshakes it started itself, is spent. With
    /// `mayEvict`, a valid cookie that finds no free slot gets `.makeRoom(oldest)` when the
    /// oldest half-open handshake is old enough to give way: the owner ends that one and
    /// passes the datagram again.
    public func receive(
        _ datagram: [UInt8], from address: PeerAddress, now: Instant, mayAccept: Bool = true, mayEvict: Bool = false
    ) -> DatagramListenerOutcome {
        guard datagram.count <= LinkLimits.maximumDatagramBytes, let hello = ClientHelloCookie.parse(datagram) else {
            tally.droppedNotClientHello += 1
            return .dropped(.notClientHello)
        }
        let cookieValid = configuration.isValidCookie(hello.cookie, clientId: address.bytes)
        if cookieValid {
            tally.cookiesValid += 1
            if let refusal = admit(address, now: now, mayAccept: mayAccept, mayEvict: mayEvict) { return refusal }
        }
        return feed(datagram, from: address, expectingHandshake: cookieValid, now: now)
    }

    /// The checks of a ClientHello whose cookie proved its address, cheapest first and all
    /// before any public-key work (RFC 6347 §4.2.1): ban, the host's half-open count, the
    /// host's token bucket, the table (or making room in it); the token is taken last, so a
    /// hello refused for another reason costs its host none. nil: accept it.
    func admit(_ address: PeerAddress, now: Instant, mayAccept: Bool, mayEvict: Bool) -> DatagramListenerOutcome? {
        if sources.isBanned(address, now: now) {
            tally.droppedBanned += 1
            return .dropped(.banned)
        }
        let source = address.sourceHost
        if budget.count(from: source) >= sources.limits.halfOpenPerSource {
            tally.droppedSourceLimit += 1
            return .dropped(.sourceLimit)
        }
        if !sources.hasToken(source, now: now) {
            tally.droppedSourceRate += 1
            return .dropped(.sourceRate)
        }
        if budget.isExhausted || !mayAccept {
            if mayEvict, budget.inUse > 0,
                let oldest = budget.oldest(now: now, minimumAgeMilliseconds: sources.limits.evictionMinimumAgeMilliseconds)
            {
                tally.halfOpenEvicted += 1
                return .makeRoom(oldest)
            }
            tally.droppedOverLimit += 1
            return .dropped(.halfOpenLimit)
        }
        let admitted = sources.admit(source, now: now)
        precondition(admitted, "a token seen a moment ago is there")
        return nil
    }

    /// Refuses new handshakes from `address` for the ban time: its certificate was refused
    /// (RFC 6940 §6.5.1.11: the connection "MUST NOT be used"), so its next handshake would be.
    public func ban(_ address: PeerAddress, now: Instant) {
        tally.bans += 1
        sources.ban(address, now: now)
    }

    /// True while handshakes from `address` are refused.
    public func isBanned(_ address: PeerAddress, now: Instant) -> Bool { sources.isBanned(address, now: now) }

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
            tally.handshakesFailed += 1
            return .dropped(.handshakeFailed(error))
        }
        var actions: [SecureSessionAction] = []
        let accepted = session.inbound.push(datagram)
        precondition(accepted, "a reset session takes one datagram")
        let code = session.advanceHandshake(into: &actions)
        session.flushOutbound(into: &actions)
        if code == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED {
            // RFC 6347 §4.2.1: answer from the address alone and keep nothing about it.
            tally.helloVerifySent += 1
            _ = try? session.resetForListener(clientId: [], now: now)
            return .reply(SecureSession.transmissions(in: actions))
        }
        guard expectingHandshake, session.state == .handshaking, code == MBEDTLS_ERR_SSL_WANT_READ else {
            tally.handshakesFailed += 1
            if case .failed(let error) = session.state { return .dropped(.handshakeFailed(error)) }
            return .dropped(.handshakeFailed(.protocolFailure(code: code)))
        }
        session.halfOpenSlotNumber = budget.acquire(address, now: now)
        session.halfOpenSlot = budget
        // A half-open handshake lives only `halfOpenLifetimeMilliseconds` (not the whole
        // handshake time): then it fails and its slot is free.
        let lifetimeEnd = now.adding(milliseconds: sources.limits.halfOpenLifetimeMilliseconds)
        if lifetimeEnd < session.handshakeDeadline { session.handshakeDeadline = lifetimeEnd }
        tally.handshakesAccepted += 1
        shared = try? SecureSession(configuration: configuration, now: now)
        return .accepted(session, actions)
    }
}
