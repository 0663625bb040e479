import Crypto
import Reload
import Storage
import Wire

/// Finds the signer of a value or message (RFC 6940 §6.3.4, §8): among the certificates this
/// node verified lately (the cache), then among those its record store keeps (of the values it
/// holds, and CERTIFICATE_BY_NODE/USER values), each verified with the overlay's
/// IdentityVerifier (chain, validity, revocation, Node-ID) before it is believed and cached.
struct NodeSignerResolver<Backend: RecordBackend>: SignerResolver {
    var cache: CertificateCache
    let records: DataStore<Backend>
    let verifier: IdentityVerifier
    let certificateTime: CertificateTime

    mutating func signer(for identity: SignerIdentity, now: WallTime) -> StorageSigner? {
        if let found = cache.signer(for: identity, now: now) { return found }
        guard let der = certificate(for: identity), let verified = verifiedIdentity(der) else { return nil }
        return StorageSigner(identity: verified, signerIdentity: identity, certificateDER: der)
    }

    /// The DER certificate `identity` names, from the cache or, verified, from the store.
    mutating func certificate(for identity: SignerIdentity) -> [UInt8]? {
        if let der = cache.certificate(for: identity) { return der }
        guard let stored = try? records.certificate(for: identity), verifiedIdentity(stored) != nil else { return nil }
        return stored
    }

    /// Verifies `der` (from the cache when it is there) and caches it.
    mutating func verifiedIdentity(_ der: [UInt8]) -> VerifiedIdentity? {
        if let known = cache.identity(of: der) { return known }
        guard let certificate = try? Certificate(der: der), let verified = try? verifier.verify(chain: [certificate], now: certificateTime)
        else { return nil }
        cache.add(verified, certificateDER: der)
        return verified
    }
}
