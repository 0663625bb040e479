import Crypto
import Reload
import Signing
import Storage
import Wire

/// Certificates this node verified (IdentityVerifier) in messages' security blocks, kept to
/// check the signatures of stored values (RFC 6940 §7.1, §7.4.2.2) and to put into the
/// security block of answers and StoreReqs that carry those values (§6.3.4: "the
/// certificates needed to verify the message and the values in it"). Bounded: the oldest
/// entry goes first, except entry 0, this node's own certificate.
///
/// A certificate revoked after it entered stays usable until it is evicted; entries are
/// checked against `now` for validity by the store and the fetch verification (§7.1).
struct CertificateCache: SignerResolver {
    struct Entry {
        let identity: VerifiedIdentity
        let certificateDER: [UInt8]
    }

    private(set) var entries: [Entry] = []
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 2, "own certificate plus at least one other")
        self.capacity = capacity
    }

    func contains(certificateDER: [UInt8]) -> Bool {
        return entries.contains { $0.certificateDER == certificateDER }
    }

    mutating func add(_ identity: VerifiedIdentity, certificateDER: [UInt8]) {
        if contains(certificateDER: certificateDER) { return }
        if entries.count >= capacity { entries.remove(at: 1) }
        entries.append(Entry(identity: identity, certificateDER: certificateDER))
        precondition(entries.count <= capacity)
    }

    /// The most recently learned certificate the SignerIdentity names.
    mutating func signer(for identity: SignerIdentity, now: WallTime) -> StorageSigner? {
        for entry in entries.reversed() {
            if let signer = StorageSigner(identity: entry.identity, signerIdentity: identity, certificateDER: entry.certificateDER) {
                return signer
            }
        }
        return nil
    }

    /// The verified identity of a cached certificate.
    func identity(of certificateDER: [UInt8]) -> VerifiedIdentity? {
        return entries.first { $0.certificateDER == certificateDER }?.identity
    }

    func certificate(for identity: SignerIdentity) -> [UInt8]? {
        for entry in entries.reversed() where identity.matches(certificateDER: entry.certificateDER) {
            return entry.certificateDER
        }
        for entry in entries.reversed() {
            for candidate in entry.identity.nodeIds {
                guard let nodeId = NodeId(bytes: candidate) else { continue }
                if identity.matches(certificateDER: entry.certificateDER, nodeId: nodeId) { return entry.certificateDER }
            }
        }
        return nil
    }

    /// Certificates learned from one message at most (each costs a chain verification).
    static let learnedPerMessage = ReloadLimits.certificates
}
