import Crypto
import Reload

// §6.3.4: cert_hash is H(DER certificate), cert_hash_node_id H(NodeId ‖ certificate), with the
// hash algorithm the identity names.
extension SignerIdentity {
    /// cert_hash with SHA-256 over the DER certificate.
    public static func certHash(certificateDER: [UInt8]) -> SignerIdentity {
        return .certHash(hashAlgorithm: .sha256, certificateHash: SHA256.hash(certificateDER))
    }

    /// cert_hash_node_id with SHA-256 over the Node-ID's bytes followed by the DER certificate.
    public static func certHashNodeId(nodeId: NodeId, certificateDER: [UInt8]) -> SignerIdentity {
        return .certHashNodeId(hashAlgorithm: .sha256, certificateNodeIdHash: SHA256.hash(nodeId.bytes + certificateDER))
    }

    /// True when this identity names `certificateDER` (with `nodeId` for cert_hash_node_id).
    /// SHA-256 and SHA-1 hashes are computed; other hash algorithms never match.
    public func matches(certificateDER: [UInt8], nodeId: NodeId? = nil) -> Bool {
        switch self {
        case .certHash(let algorithm, let hash):
            return SignerIdentity.digest(algorithm, certificateDER) == hash
        case .certHashNodeId(let algorithm, let hash):
            guard let nodeId else { return false }
            return SignerIdentity.digest(algorithm, nodeId.bytes + certificateDER) == hash
        case .none:
            return false
        }
    }

    static func digest(_ algorithm: HashAlgorithm, _ data: [UInt8]) -> [UInt8]? {
        if algorithm == .sha256 { return SHA256.hash(data) }
        if algorithm == .sha1 { return SHA1.hash(data) }
        return nil
    }
}
