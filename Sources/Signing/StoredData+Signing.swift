import Crypto
import Reload
import Wire

// §7.1: a stored value's signature covers StoredData.signatureInput(...) (resource_id ‖ kind ‖
// storage_time ‖ StoredDataValue ‖ SignerIdentity), hashed with SHA-256.
extension StoredData {
    /// A value signed with `key` (ECDSA P-256, SHA-256).
    public static func signed(
        resource: ResourceId, kind: KindId, storageTime: UInt64, lifetime: UInt32, value: StoredDataValue,
        identity: SignerIdentity, key: PrivateKey, random: RandomGenerator
    ) throws(ReloadError) -> StoredData {
        let digest = try digest(resource: resource, kind: kind, storageTime: storageTime, value: value, identity: identity)
        let signature = try Signature.make(sha256Digest: digest, identity: identity, key: key, random: random)
        return StoredData(storageTime: storageTime, lifetime: lifetime, value: value, signature: signature)
    }

    /// Verifies the value's signature for the resource and kind it is stored under.
    public func verifySignature(resource: ResourceId, kind: KindId, publicKey: PublicKey) throws(ReloadError) {
        let digest = try StoredData.digest(
            resource: resource, kind: kind, storageTime: storageTime, value: value, identity: signature.identity)
        try signature.verify(sha256Digest: digest, publicKey: publicKey)
    }

    static func digest(
        resource: ResourceId, kind: KindId, storageTime: UInt64, value: StoredDataValue, identity: SignerIdentity
    ) throws(ReloadError) -> [UInt8] {
        do throws(WireError) {
            return SHA256.hash(
                try signatureInput(resource: resource, kind: kind, storageTime: storageTime, value: value, identity: identity))
        } catch {
            throw .malformed(error)
        }
    }
}
