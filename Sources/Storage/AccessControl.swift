import Crypto
import Reload

/// The checks of §7.3 for one signer and one value. The overlay's hash (§10.2) is SHA-1
/// truncated to the Resource-ID length, which is the overlay's node-id-length.
enum AccessControl {
    /// H(data) of §7.3 for a Resource-ID of `length` bytes (at most SHA-1's 20).
    static func overlayHash(_ data: [UInt8], length: Int) -> [UInt8] {
        precondition(length >= 1 && length <= SHA1.digestLength)
        return Array(SHA1.hash(data).prefix(length))
    }

    static func permits(
        _ policy: AccessPolicy, signer: StorageSigner, resource: ResourceId, value: StoredDataValue, nodeIdLength: Int
    ) -> Bool {
        guard resource.bytes.count == nodeIdLength else { return false }
        switch policy {
        case .userMatch:
            return userMatches(signer, resource, nodeIdLength)
        case .nodeMatch:
            guard let nodeId = signer.nodeId else { return false }
            return overlayHash(nodeId, length: nodeIdLength) == resource.bytes
        case .userNodeMatch:
            // §7.3.3: the dictionary key is the Node-ID of the certificate the SignerIdentity names.
            guard let nodeId = signer.nodeId, case .dictionary(let entry) = value, entry.key == nodeId else { return false }
            return userMatches(signer, resource, nodeIdLength)
        case .nodeMultiple(let maximum):
            // §7.3.4: "the verifier MUST iterate through potential i values".
            guard let nodeId = signer.nodeId else { return false }
            var i = 1
            while i <= maximum {
                if overlayHash(nodeId + [UInt8(truncatingIfNeeded: i)], length: nodeIdLength) == resource.bytes { return true }
                i += 1
            }
            return false
        }
    }

    static func userMatches(_ signer: StorageSigner, _ resource: ResourceId, _ nodeIdLength: Int) -> Bool {
        return overlayHash(Array(signer.identity.userName.utf8), length: nodeIdLength) == resource.bytes
    }
}
