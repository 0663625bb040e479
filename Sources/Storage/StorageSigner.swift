import Crypto
import Reload
import Signing
import Wire

/// The signer of a value or of a request, as the access control policies of §7.3 see it: a
/// verified certificate, and the Node-ID the SignerIdentity names ("that Node-ID is the one
/// indicated in the SignerIdentity value cert_hash", §7.3.2-§7.3.4).
public struct StorageSigner {
    public let identity: VerifiedIdentity
    /// The Node-ID the signature speaks for; nil when the SignerIdentity names none (a
    /// cert_hash over a certificate with several Node-IDs), so the node policies refuse.
    public let nodeId: [UInt8]?
    /// The DER certificate, when the signer was found from one (values' signers): the store
    /// keeps it beside the values it signed (§6.3.4).
    public let certificateDER: [UInt8]?

    public init(identity: VerifiedIdentity, nodeId: [UInt8]?, certificateDER: [UInt8]? = nil) {
        self.identity = identity
        self.nodeId = nodeId
        self.certificateDER = certificateDER
    }

    /// The signer `signerIdentity` names, if it names `certificateDER` (the certificate that
    /// `identity` was verified from): cert_hash = H(certificate), whose Node-ID is the
    /// certificate's only one; cert_hash_node_id = H(Node-ID ‖ certificate) for one of the
    /// certificate's Node-IDs (§6.3.4). Nil when it names neither.
    public init?(identity: VerifiedIdentity, signerIdentity: SignerIdentity, certificateDER: [UInt8]) {
        switch signerIdentity {
        case .certHash:
            guard signerIdentity.matches(certificateDER: certificateDER) else { return nil }
            self.init(identity: identity, nodeId: identity.nodeIds.count == 1 ? identity.nodeIds[0] : nil, certificateDER: certificateDER)
        case .certHashNodeId:
            for candidate in identity.nodeIds {
                guard let nodeId = NodeId(bytes: candidate) else { continue }
                if signerIdentity.matches(certificateDER: certificateDER, nodeId: nodeId) {
                    self.init(identity: identity, nodeId: candidate, certificateDER: certificateDER)
                    return
                }
            }
            return nil
        case .none:
            return nil
        }
    }

    /// §7.1: "the current time MUST be compared to the certificate validity period".
    public func isValid(now: WallTime) -> Bool {
        let time = now.civilTime
        return identity.notBefore <= time && time <= identity.notAfter
    }
}

/// Finds the signer of a stored value from its SignerIdentity (the cert_hash of §6.3.4): from
/// the certificates of the message that carried it, or from the CERTIFICATE_BY_NODE/USER
/// kinds (§8). Returns nil when the certificate is unknown, revoked or not an overlay member:
/// the value is then refused (Error_Forbidden) or dropped. It may return a certificate outside
/// its validity period: the store and the fetch verification check that against `now`
/// themselves (§7.1), and report it as such.
public protocol SignerResolver {
    mutating func signer(for identity: SignerIdentity, now: WallTime) -> StorageSigner?
}

/// A SignerResolver over a short list of verified certificates (validity is checked by the
/// caller at `now`, see SignerResolver), e.g. those of one message's
/// security block (§6.3.4: it carries the certificates needed to check every signature).
public struct SignerTable: SignerResolver {
    struct Entry {
        let identity: VerifiedIdentity
        let certificateDER: [UInt8]
    }

    var entries: [Entry] = []
    public let capacity: Int

    public init(capacity: Int = ReloadLimits.certificates) {
        precondition(capacity >= 1)
        self.capacity = capacity
    }

    /// Adds a certificate the caller verified (IdentityVerifier); false when full.
    public mutating func add(_ identity: VerifiedIdentity, certificateDER: [UInt8]) -> Bool {
        if entries.count >= capacity { return false }
        entries.append(Entry(identity: identity, certificateDER: certificateDER))
        return true
    }

    public var count: Int { entries.count }

    public mutating func signer(for identity: SignerIdentity, now: WallTime) -> StorageSigner? {
        for entry in entries {
            if let signer = StorageSigner(identity: entry.identity, signerIdentity: identity, certificateDER: entry.certificateDER) {
                return signer
            }
        }
        return nil
    }
}
