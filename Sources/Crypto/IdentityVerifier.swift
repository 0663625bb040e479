import CMbedTLS
import Wire

/// The check the overlay makes for every link and every signature (RFC 6940 §13.3, §13.6.2,
/// §13.6.3): is this certificate a member of the overlay, may it use this Node-ID, and which
/// key signs for it?
///
/// Enrolled identities (§11.3): the chain leads to one of the overlay's root-certs (signatures,
/// basicConstraints and keyUsage checked by mbedtls_x509_crt_verify_with_profile), every
/// certificate of it is valid at `now`, none is on the revocation list, the end-entity is not
/// a CA, and its subjectAltName holds well-formed reload URIs of this overlay and one user name.
///
/// Self-signed identities (§11.3.1), only when the overlay permits them: the certificate is
/// self-issued and its signature verifies with its own key, its Node-IDs are the digest of
/// that key, it carries the proof of work the policy asks for, and it is valid at `now`.
///
/// Time is the `now` argument, never the system clock: mbedTLS checks validity against
/// time(2), so the verify callback clears those flags and checks each certificate of the chain
/// against `now` instead. Accepted certificates are cached by SHA-256 of their DER
/// (VerificationCache); a cache hit still checks the validity window, the revocation list and
/// the bad-node list of the moment.
///
/// Open for the host-only simulator only: its verifier replaces the two costly steps, the
/// mbedTLS chain check (`verifyChain`) and the parsing of the certified key (`certifiedKey`),
/// by a look-up in its simulated CA's register; everything else here runs as on a board.
open class IdentityVerifier {
    public let overlayName: String
    public let nodeIdLength: Int
    public let selfSignedPolicy: SelfSignedPolicy?
    let roots: CertificateChain?
    public private(set) var revocationList: RevocationList?
    public private(set) var badNodeIds: Set<[UInt8]> = []
    var cache = VerificationCache(capacity: CryptoLimits.verificationCacheCapacity)
    public private(set) var cacheHits = 0

    /// `roots`: the overlay's root-certs (§11.1), each a CA certificate; may be empty only when
    /// `selfSigned` is given.
    public init(
        overlayName: String, nodeIdLength: Int, roots: [Certificate], selfSigned: SelfSignedPolicy?
    ) throws(CryptoError) {
        guard CryptoLimits.nodeIdLengthRange.contains(nodeIdLength) else {
            throw .malformed("node-id-length \(nodeIdLength) outside \(CryptoLimits.nodeIdLengthRange)")
        }
        guard ReloadURI.isRegName(Array(overlayName.utf8)) else { throw .malformed("overlay name is not a reg-name") }
        guard !roots.isEmpty || selfSigned != nil else { throw .malformed("no root certificate and no self-signed mode") }
        guard roots.allSatisfy({ $0.isCertificateAuthority }) else { throw .malformed("a root-cert is not a CA certificate") }
        self.overlayName = overlayName
        self.nodeIdLength = nodeIdLength
        self.selfSignedPolicy = selfSigned
        self.roots = roots.isEmpty ? nil : try CertificateChain(roots)
        self.rootCertificates = roots
    }

    /// The overlay's roots (RFC 6940 §11.1 root-cert): also the trust anchors of the HTTPS
    /// client that fetches the revocation list from the enrollment server.
    public let rootCertificates: [Certificate]

    /// Installs a revocation list after checking that one of the roots signed it. An older
    /// list than the current one (a lower cRLNumber, or an earlier thisUpdate when either has
    /// no number: RevocationList.sequenceOrder) is refused: replaying an old CRL must not
    /// un-revoke anyone.
    public func setRevocationList(_ list: RevocationList) throws(CryptoError) {
        guard let issuer = rootCertificates.first(where: { $0.subjectRaw == list.issuerRaw }) else {
            throw .invalidSignature("CRL issued by none of the overlay roots")
        }
        try list.verifySignature(issuer: issuer)
        if let current = revocationList, current.issuerRaw == list.issuerRaw, list.sequenceOrder(comparedWith: current) < 0 {
            throw .malformed("CRL older than the one in use")
        }
        revocationList = list
    }

    /// The configuration's bad-node list (§11.1): certificates holding one of these Node-IDs
    /// are refused.
    public func setBadNodes(_ nodeIds: [[UInt8]]) {
        badNodeIds = Set(nodeIds)
    }

    /// The number of cached verified certificates (at most CryptoLimits.verificationCacheCapacity).
    public var cachedCount: Int { cache.count }

    /// Verifies `chain` (end-entity first, then any intermediates; at most
    /// CryptoLimits.maximumChainLength) at `now`. Throws `.rejected(reason)`.
    /// `leafHash`, when the caller already has it (a cert_hash signer identity, RFC 6940
    /// §6.3.4, that named this certificate), is SHA-256 of the end-entity's DER: it saves
    /// hashing the certificate again for every message.
    public func verify(chain: [Certificate], now: CertificateTime, leafHash: [UInt8]? = nil) throws(CryptoError) -> VerifiedIdentity {
        guard let leaf = chain.first, chain.count <= CryptoLimits.maximumChainLength else {
            throw .rejected(.chainLength(chain.count))
        }
        let key = leafHash ?? SHA256.hash(leaf.der)
        if let entry = cache.lookup(key) {
            do throws(CryptoError) {
                try recheck(entry, now: now)
            } catch {
                cache.remove(key)
                throw error
            }
            cacheHits += 1
            return entry.identity
        }
        let entry = try verifyUncached(chain: chain, leaf: leaf, key: key, now: now)
        cache.insert(key, entry)
        return entry.identity
    }

    /// `verify(chain:now:)`, and the claimed Node-ID (of a message's sender, of a link's peer)
    /// is one of the certificate's.
    public func verify(chain: [Certificate], nodeId: [UInt8], now: CertificateTime) throws(CryptoError) -> VerifiedIdentity {
        let identity = try verify(chain: chain, now: now)
        guard identity.nodeIds.contains(nodeId) else { throw .rejected(.nodeIdNotInCertificate) }
        return identity
    }

    /// What changes between two uses of a cached certificate: time, the CRL, the bad nodes.
    func recheck(_ entry: VerificationCache.Entry, now: CertificateTime) throws(CryptoError) {
        if now < entry.identity.notBefore { throw .rejected(.notYetValid) }
        if entry.identity.notAfter < now { throw .rejected(.expired) }
        if let list = revocationList {
            for issued in entry.issuedSerials where issued.issuer == list.issuerRaw {
                if list.isRevoked(serialNumber: issued.serial) { throw .rejected(.revoked) }
            }
        }
        if entry.identity.nodeIds.contains(where: { badNodeIds.contains($0) }) { throw .rejected(.badNode) }
    }

    func verifyUncached(
        chain: [Certificate], leaf: Certificate, key: [UInt8], now: CertificateTime
    ) throws(CryptoError) -> VerificationCache.Entry {
        if leaf.isCertificateAuthority { throw .rejected(.authorityAsIdentity) }
        let identity = try leaf.reloadIdentity(overlay: overlayName, nodeIdLength: nodeIdLength)
        let window: (notBefore: CertificateTime, notAfter: CertificateTime)
        let selfSigned = leaf.isSelfIssued
        if selfSigned {
            guard let policy = selfSignedPolicy else { throw .rejected(.selfSignedNotPermitted) }
            guard chain.count == 1 else { throw .rejected(.chainLength(chain.count)) }
            if now < leaf.notBefore { throw .rejected(.notYetValid) }
            if leaf.notAfter < now { throw .rejected(.expired) }
            try SelfSignedIdentity.check(leaf, identity: identity, policy: policy, nodeIdLength: nodeIdLength)
            window = (leaf.notBefore, leaf.notAfter)
        } else {
            window = try verifyChain(chain, now: now)
        }
        let entry = VerificationCache.Entry(
            identity: VerifiedIdentity(
                nodeIds: identity.nodeIds, userName: identity.userName, publicKey: try certifiedKey(of: leaf),
                isSelfSigned: selfSigned, notBefore: window.notBefore, notAfter: window.notAfter, certificateHash: key),
            issuedSerials: selfSigned ? [] : chain.map { ($0.issuerRaw, $0.serialNumber) })
        try recheck(entry, now: now)
        return entry
    }

    /// State shared with the verify callback: `now`, and what it saw.
    final class ChainCheck {
        let now: CertificateTime
        var notYetValid = false
        var expired = false
        var latestNotBefore: CertificateTime? = nil
        var earliestNotAfter: CertificateTime? = nil

        init(now: CertificateTime) { self.now = now }
    }

    /// Called by mbedTLS for every certificate of the chain it built, root included: replace
    /// its clock-based validity flags by a check against `now`.
    static let verifyCallback:
        @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<mbedtls_x509_crt>?, Int32, UnsafeMutablePointer<UInt32>?)
            -> Int32 = { context, certificate, _, flags in
                guard let context, let certificate, let flags else { return -1 }
                let state = Unmanaged<ChainCheck>.fromOpaque(context).takeUnretainedValue()
                flags.pointee &= ~UInt32(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)
                let notBefore = CertificateTime(certificate.pointee.valid_from)
                let notAfter = CertificateTime(certificate.pointee.valid_to)
                if state.now < notBefore { state.notYetValid = true }
                if notAfter < state.now { state.expired = true }
                if let latest = state.latestNotBefore, notBefore < latest {} else { state.latestNotBefore = notBefore }
                if let earliest = state.earliestNotAfter, earliest < notAfter {} else { state.earliestNotAfter = notAfter }
                return 0
            }

    /// Accepted: SHA-256/384/512; ECDSA (P-256, P-384) and RSA of 2048 bits or more.
    static let profile = mbedtls_x509_crt_profile(
        allowed_mds: flag(MBEDTLS_MD_SHA256.rawValue) | flag(MBEDTLS_MD_SHA384.rawValue) | flag(MBEDTLS_MD_SHA512.rawValue),
        allowed_pks: flag(MBEDTLS_PK_ECKEY.rawValue) | flag(MBEDTLS_PK_ECDSA.rawValue) | flag(MBEDTLS_PK_RSA.rawValue),
        allowed_curves: flag(MBEDTLS_ECP_DP_SECP256R1.rawValue) | flag(MBEDTLS_ECP_DP_SECP384R1.rawValue),
        rsa_min_bitlen: 2048)

    /// MBEDTLS_X509_ID_FLAG(id).
    static func flag(_ identifier: UInt32) -> UInt32 { 1 << (identifier - 1) }

    /// The key that verifies the holder's signatures.
    open func certifiedKey(of leaf: Certificate) throws(CryptoError) -> PublicKey {
        return try leaf.publicKey()
    }

    /// mbedTLS chain verification to the roots, with validity against `now`.
    open func verifyChain(
        _ chain: [Certificate], now: CertificateTime
    ) throws(CryptoError) -> (notBefore: CertificateTime, notAfter: CertificateTime) {
        guard let roots else { throw .rejected(.notTrusted(flags: UInt32(MBEDTLS_X509_BADCERT_NOT_TRUSTED))) }
        let list = try CertificateChain(chain)
        let state = ChainCheck(now: now)
        var flags: UInt32 = 0
        CryptoOperations.counted.chainVerifications &+= UInt64(chain.count)
        let code = withUnsafePointer(to: IdentityVerifier.profile) { profile in
            withExtendedLifetime(state) {
                mbedtls_x509_crt_verify_with_profile(
                    list.context, roots.context, nil, profile, nil, &flags, IdentityVerifier.verifyCallback,
                    Unmanaged.passUnretained(state).toOpaque())
            }
        }
        if code != 0 || flags != 0 {
            throw .rejected(.notTrusted(flags: flags == 0 ? UInt32(MBEDTLS_X509_BADCERT_OTHER) : flags))
        }
        if state.notYetValid { throw .rejected(.notYetValid) }
        if state.expired { throw .rejected(.expired) }
        guard let notBefore = state.latestNotBefore, let notAfter = state.earliestNotAfter else {
            throw .rejected(.notTrusted(flags: UInt32(MBEDTLS_X509_BADCERT_OTHER)))
        }
        return (notBefore, notAfter)
    }
}
