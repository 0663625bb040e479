import Crypto
import Wire

/// The registrar's side of SIP Digest authentication (RFC 3261 §22, RFC 2617 with qop=auth,
/// RFC 8760 algorithms). Nonces are stateless (DigestNonce: a timestamp, a counter and an
/// HMAC under `secret`), expire after `nonceLifetimeSeconds`, and their nonce-counts are
/// remembered in a bounded table against replays. Time is an argument (the wall clock; nonce
/// timestamps and ages count its whole seconds); the secret comes from the caller's random
/// generator, new at every start.
public struct DigestAuthenticator {
    public let realm: [UInt8]
    /// Offered in this order (RFC 8760 §2.4: the preferred algorithm's challenge first).
    public let algorithms: [DigestAlgorithm]
    public let nonceLifetimeSeconds: Int64
    let secret: [UInt8]
    private(set) var counter: UInt64 = 0
    private(set) var nonceCounts: NonceCountTable

    public init(
        secret: [UInt8], realm: [UInt8], algorithms: [DigestAlgorithm] = [.sha256, .md5],
        nonceLifetimeSeconds: Int64 = SIPLimits.defaultNonceLifetimeSeconds, replayCapacity: Int = SIPLimits.nonceCountCapacity
    ) {
        precondition(secret.count >= SIPLimits.minimumNonceSecretBytes, "nonce secret under 128 bits")
        precondition(!realm.isEmpty && realm.allSatisfy(SIPCharacters.isText), "realm is printable text")
        precondition(!algorithms.isEmpty)
        precondition(SIPLimits.nonceLifetimeRange.contains(nonceLifetimeSeconds))
        self.secret = secret
        self.realm = realm
        self.algorithms = algorithms
        self.nonceLifetimeSeconds = nonceLifetimeSeconds
        self.nonceCounts = NonceCountTable(capacity: replayCapacity)
    }

    /// The challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), one per
    /// algorithm with one new nonce (RFC 3261 §22.1, RFC 2617 §3.2.1):
    /// `Digest realm="...", nonce="...", qop="auth", algorithm=SHA-256[, stale=true]`.
    public mutating func challenges(now: WallTime, stale: Bool = false) -> [SIPAuthentication] {
        counter &+= 1
        let nonce = DigestNonce(timestampSeconds: UInt64(now.secondsSince1970), counter: counter).text(secret: secret, realm: realm)
        return algorithms.map { algorithm in
            var challenge = SIPAuthentication(scheme: Array("Digest".utf8), parameters: [])
            challenge.appendQuoted("realm", realm)
            challenge.appendQuoted("nonce", nonce)
            challenge.appendQuoted("qop", Array("auth".utf8))
            challenge.appendToken("algorithm", algorithm.name)
            if stale { challenge.appendToken("stale", Array("true".utf8)) }
            return challenge
        }
    }

    /// Checks `credentials` of a request with `method` and `requestURI` against the user's
    /// `secret`. Cheap checks first, then the nonce's MAC, then the digest; the nonce-count
    /// is recorded only when everything holds (a failed attempt cannot burn a count).
    public mutating func verify(
        _ credentials: DigestCredentials, method: SIPMethod, requestURI: SIPURI, secret userSecret: DigestSecret, now: WallTime
    ) -> DigestVerdict {
        guard credentials.realm == realm else { return .rejected(.realmMismatch) }
        guard algorithms.contains(credentials.algorithm) else { return .rejected(.algorithmUnavailable) }
        guard credentials.qop.map({ SIPCharacters.equalsIgnoringCase($0, "auth") }) == true,
            let count = credentials.nonceCount, let countText = credentials.nonceCountText, let cnonce = credentials.cnonce
        else { return .rejected(.qopMissing) }
        // RFC 2617 §3.2.2.5: the uri must denote the Request-URI; compared as parsed URIs.
        guard let uri = try? SIPURI.parse(credentials.uri, field: "uri"), uri == requestURI else { return .rejected(.uriMismatch) }
        guard let nonce = DigestNonce.verified(credentials.nonce, secret: secret, realm: realm) else { return .rejected(.unknownNonce) }
        guard nonce.issued <= now.adding(seconds: SIPLimits.nonceClockSkewSeconds) else { return .rejected(.nonceFromFuture) }
        guard let ha1 = ha1(credentials, userSecret) else { return .rejected(.algorithmUnavailable) }
        let expected = credentials.algorithm.response(
            ha1: ha1, nonce: credentials.nonce, nonceCount: countText, cnonce: cnonce, method: method.bytes, uri: credentials.uri)
        guard HMACSHA256.isEqual(expected, credentials.response) else { return .rejected(.wrongResponse) }
        if now.seconds(since: nonce.issued) > nonceLifetimeSeconds { return .stale }
        switch nonceCounts.check(nonce, count: count) {
        case .replayed: return .rejected(.replayed)
        case .forgotten: return .stale
        case .fresh: break
        }
        nonceCounts.record(nonce, count: count, expiredBeforeSeconds: UInt64(now.adding(seconds: -nonceLifetimeSeconds).secondsSince1970))
        return .accepted
    }

    func ha1(_ credentials: DigestCredentials, _ userSecret: DigestSecret) -> [UInt8]? {
        switch userSecret {
        case .password(let password):
            return credentials.algorithm.ha1(username: credentials.username, realm: realm, password: password)
        case .ha1(let algorithm, let hex):
            guard algorithm == credentials.algorithm, hex.count == algorithm.hexLength else { return nil }
            return SIPCharacters.lowercased(hex)
        }
    }
}
