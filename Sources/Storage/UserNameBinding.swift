import Crypto
import Reload
import Wire

/// First-come user names for self-signed identities (RFC 6940 §11.3.1, §13.3). In self-signed
/// mode "the self-signed certificate MAY contain any user name of the user's choice", so
/// USER-MATCH (§7.3.1) alone lets anyone write under anyone's name. The storing peer of H(U)
/// holds both the CERTIFICATE_BY_USER values of U (§8: stored at H(user name)) and every
/// USER-MATCH and USER-NODE-MATCH value of U (same Resource-ID), so it can bind U to the
/// first key whose certificate it stored there, without asking any other peer:
///
/// - a self-signed signer may store a CERTIFICATE_BY_USER value only if the value is its own
///   certificate (so a stored certificate names U and is the key that signed the Store);
/// - a self-signed signer (of a value, or of an original Store) may write a USER-MATCH or
///   USER-NODE-MATCH value at H(U) only if no live certificate stored there under
///   CERTIFICATE_BY_USER has another key. The first key keeps the name while its certificate
///   stays stored (the node republishes it before its lifetime ends); the same key renews.
///
/// Enrolled signers are not held to it: their CA vouched for the name (§11.3). A name nobody
/// has published yet is open to the first key that does; a peer publishes its certificate
/// under its user name once it joins. Replica Stores (replica_number > 0) copy what the
/// responsible peer accepted and are not checked again.
struct UserNameBinding {
    /// The keys (DER SubjectPublicKeyInfo, as mbedTLS writes it) of the live certificates
    /// stored under CERTIFICATE_BY_USER at the resource; empty: the name is free.
    let boundKeys: [[UInt8]]

    /// Reads the certificates stored under CERTIFICATE_BY_USER at `resource`, at most
    /// `StorageLimits.userNameBindingCertificates`; unparseable values bind nothing.
    static func load<Transaction: RecordTransaction>(
        resource: ResourceId, now: WallTime, _ transaction: inout Transaction
    ) throws(StorageRefusal) -> UserNameBinding {
        let records = try StorageRefusal.lift { () throws(StorageError) in
            try transaction.records(
                resource: resource, kind: .certificateByUser, limit: StorageLimits.userNameBindingCertificates)
        }
        var keys: [[UInt8]] = []
        for (_, record) in records where !record.isExpired(now: now) {
            guard let data = try? record.storedData(model: .array, now: now), data.value.dataValue.exists,
                let certificate = try? Certificate(der: data.value.dataValue.value),
                let key = try? certificate.publicKey().derEncoded(), !keys.contains(key)
            else { continue }
            keys.append(key)
        }
        return UserNameBinding(boundKeys: keys)
    }

    /// Whether the policy is one the binding applies to (the Resource-ID is a user name's).
    static func applies(to policy: AccessPolicy) -> Bool {
        switch policy {
        case .userMatch, .userNodeMatch: return true
        case .nodeMatch, .nodeMultiple: return false
        }
    }

    /// The checks above for one self-signed signer of `value` of `kind` (nil for the signer of
    /// the request, held to the key rule only); enrolled signers pass.
    func check(_ signer: StorageSigner, kind: KindId, value: StoredDataValue?) throws(StorageRefusal) {
        guard signer.identity.isSelfSigned else { return }
        if kind == .certificateByUser, let value, value.dataValue.exists {
            guard let own = signer.certificateDER, value.dataValue.value == own else {
                throw .forbidden(kind, .certificateNotSigners)
            }
        }
        guard !boundKeys.isEmpty else { return }
        guard let key = try? signer.identity.publicKey.derEncoded(), boundKeys.contains(key) else {
            throw .forbidden(kind, .userNameTaken)
        }
    }
}
