import Crypto
import HTTP
import Wire

/// The enrollment server's decision (RFC 6940 §11.3, §13.6.2),
/// with no I/O: a parsed request, the source address, `now` and a random generator in; a
/// certificate or a refusal out.
///
/// Order of checks, cheap before dear: the source address's rate limit, the account name, the
/// user's rate limit (failed passwords count), the password (PBKDF2; an unknown user costs
/// the same as a known one), the Node-ID count against the request and lifetime caps, the
/// CSR (parse, self-signature, key type), the user name the CSR asks for, whether the key was
/// enrolled before. Then Node-IDs are drawn at random by the server (RFC 6940 §11.3: "MUST be
/// chosen by the enrollment server in such a way that it is unpredictable to the requesting
/// user"): never all zeros or all ones, never one issued before. Requested Node-IDs do not
/// exist in this protocol; only their count ("nodeids") is honoured, within the caps.
///
/// A request that carries a certificate is a renewal (EnrollmentAuthority+Renew): the same
/// Node-IDs again, proven by the key, without a password. A returning user who enrolls with a
/// password gets new Node-IDs, which count against the cap.
public final class EnrollmentAuthority {
    public let issuer: CertificateIssuer
    public let overlayName: String
    public let nodeIdLength: Int
    public internal(set) var accounts: AccountsFile
    public internal(set) var ledger: EnrollmentLedger
    /// Per-user buckets: one table for existing accounts (as large as the account limit, so no
    /// attacker can fill it), one for names that are not accounts (bounded; when attackers fill
    /// it, only unknown names are refused). Both answer alike, so limits do not reveal which
    /// names exist.
    var userLimiter: RateLimiter
    var unknownUserLimiter: RateLimiter
    var addressLimiter: RateLimiter
    /// Checked when the user is unknown, so that the answer takes as long.
    let unknownUserHash: PasswordHash
    /// Checks the certificates renewals present: issued under this server's root.
    let renewalVerifier: IdentityVerifier

    public init(
        issuer: CertificateIssuer, overlayName: String, nodeIdLength: Int, accounts: AccountsFile,
        ledger: EnrollmentLedger, using random: RandomGenerator
    ) throws(EnrollmentError) {
        guard CryptoLimits.nodeIdLengthRange.contains(nodeIdLength) else {
            throw .invalidArgument("node-id-length \(nodeIdLength)")
        }
        guard UserName.isValid("x@" + overlayName) else {
            throw .invalidArgument("overlay name \(overlayName) cannot end a user name (x@\(overlayName))")
        }
        self.issuer = issuer
        self.overlayName = overlayName
        self.nodeIdLength = nodeIdLength
        self.accounts = accounts
        self.ledger = ledger
        userLimiter = RateLimiter(
            capacity: EnrollmentLimits.maximumAccounts, burst: accounts.policy.userRateBurst,
            refillSeconds: accounts.policy.userRateRefillSeconds)
        unknownUserLimiter = RateLimiter(
            burst: accounts.policy.userRateBurst, refillSeconds: accounts.policy.userRateRefillSeconds)
        addressLimiter = RateLimiter(
            burst: accounts.policy.addressRateBurst, refillSeconds: accounts.policy.addressRateRefillSeconds)
        do throws(CryptoError) {
            renewalVerifier = try IdentityVerifier(
                overlayName: overlayName, nodeIdLength: nodeIdLength, roots: [issuer.certificate], selfSigned: nil)
        } catch {
            throw .crypto(error.description)
        }
        let iterations = accounts.accounts.first?.passwordHash.iterations ?? CryptoLimits.defaultPasswordIterations
        do throws(CryptoError) {
            unknownUserHash = try PasswordHash.create(password: random.bytes(16), iterations: iterations, using: random)
        } catch {
            throw .crypto(error.description)
        }
    }

    /// Replaces the accounts (after `ca user add`); rate-limit state is kept unless the policy's
    /// rates changed.
    public func replaceAccounts(_ newAccounts: AccountsFile) {
        if newAccounts.policy.userRateBurst != accounts.policy.userRateBurst
            || newAccounts.policy.userRateRefillSeconds != accounts.policy.userRateRefillSeconds
        {
            userLimiter = RateLimiter(
                capacity: EnrollmentLimits.maximumAccounts, burst: newAccounts.policy.userRateBurst,
                refillSeconds: newAccounts.policy.userRateRefillSeconds)
            unknownUserLimiter = RateLimiter(
                burst: newAccounts.policy.userRateBurst, refillSeconds: newAccounts.policy.userRateRefillSeconds)
        }
        if newAccounts.policy.addressRateBurst != accounts.policy.addressRateBurst
            || newAccounts.policy.addressRateRefillSeconds != accounts.policy.addressRateRefillSeconds
        {
            addressLimiter = RateLimiter(
                burst: newAccounts.policy.addressRateBurst, refillSeconds: newAccounts.policy.addressRateRefillSeconds)
        }
        accounts = newAccounts
    }

    /// Decides one request from `source` (the client's address, as bytes) at `now`.
    public func enroll(
        _ request: EnrollmentRequest, source: [UInt8], now: WallTime, using random: RandomGenerator
    ) -> EnrollmentOutcome {
        if let wait = addressLimiter.take(source, now: now) { return .refused(.rateLimited(retryAfter: wait)) }
        if let certificate = request.certificate { return renew(request, certificateDER: certificate, now: now, using: random) }
        guard let name = accountName(request.username) else { return .refused(.failedAuthentication) }
        let account = accounts.account(named: name)
        let wait = account == nil
            ? unknownUserLimiter.take(Array(name.utf8), now: now) : userLimiter.take(Array(name.utf8), now: now)
        if let wait { return .refused(.rateLimited(retryAfter: wait)) }
        let password = request.password ?? []
        guard let account else {
            _ = unknownUserHash.matches(password: password)
            return .refused(.failedAuthentication)
        }
        guard request.password != nil, account.passwordHash.matches(password: password) else {
            return .refused(.failedAuthentication)
        }
        guard let count = nodeIdCount(request.nodeIds, account: account) else { return .refused(.nodeIdsNotAvailable) }
        guard let csrBytes = request.csr, request.csrContentType.map(isPKCS10) ?? false,
            let csr = try? CertificateSigningRequest.parse(csrBytes), isAcceptable(csr.publicKey().kind),
            let spki = try? csr.publicKey().derEncoded()
        else { return .refused(.badCSR) }
        guard requestedNamesMatch(csr.requestedNames, account: name) else { return .refused(.usernameNotAvailable) }
        let key = csr.publicKey()
        let keyHash = SHA256.hash(spki)
        guard !ledger.isKeyEnrolled(keyHash) else { return .refused(.badCSR) }
        return issue(key: key, keyHash: keyHash, user: name, count: count, now: now, using: random)
    }

    /// The account name of the "username" field: NAME, or NAME@OVERLAY.
    func accountName(_ username: [UInt8]?) -> String? {
        guard var bytes = username else { return nil }
        let suffix = Array(("@" + overlayName).utf8)
        if bytes.count > suffix.count, Array(bytes[(bytes.count - suffix.count)...]) == suffix {
            bytes.removeLast(suffix.count)
        }
        guard Account.isValidName(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "nodeids": absent means 1; otherwise a decimal count within the per-request cap and
    /// the user's remaining lifetime allowance.
    func nodeIdCount(_ field: [UInt8]?, account: Account) -> Int? {
        var count = 1
        if let field {
            let digits = field.filter { $0 != 0x20 && $0 != 0x0D && $0 != 0x0A && $0 != 0x09 }
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            count = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let lifetimeCap = account.maxNodeIds ?? accounts.policy.maxNodeIdsPerUser
        guard count >= 1, count <= accounts.policy.maxNodeIdsPerRequest, count <= CryptoLimits.maximumNodeIdsPerCertificate,
            ledger.nodeIdCount(user: account.name) + count <= lifetimeCap
        else { return nil }
        return count
    }

    func isPKCS10(_ contentType: String) -> Bool {
        let value = Array(contentType.utf8).prefix { $0 != UInt8(ascii: ";") }
        return HeaderParameters.lowercased(Array(value)).filter { $0 != 0x20 } == Array("application/pkcs10".utf8)
    }

    /// Keys we certify: ECDSA P-256 (what p2psip makes) and RSA 2048 to 4096 bits.
    func isAcceptable(_ kind: PublicKey.Kind) -> Bool {
        switch kind {
        case .ecdsaP256: return true
        case .rsa(let bits): return bits >= 2048 && bits <= 4096
        case .ecdsaOther: return false
        }
    }

    /// RFC 6940 §11.3 username_not_available: "The requested user name in the CSR was not
    /// acceptable". A CSR may request no name (an empty subject, or one without CN and
    /// emailAddress): the certificate then carries the account's user name. Each name it does
    /// request must be the account name or that user name (NAME@OVERLAY).
    func requestedNamesMatch(_ requested: [String], account: String) -> Bool {
        let acceptable = [account, account + "@" + overlayName]
        return requested.allSatisfy { acceptable.contains($0) }
    }
}
