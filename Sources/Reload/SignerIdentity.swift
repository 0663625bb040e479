import Crypto
import Wire

/// §6.3.4 SignerIdentity: identity_type(1) ‖ length u16 ‖ SignerIdentityValue. cert_hash is
/// H(DER certificate) for a certificate with one Node-ID; cert_hash_node_id is
/// H(NodeId ‖ certificate) for one with several; none (empty) only for values a storing peer
/// synthesizes (§7.4.2.2). Other identity types cannot be verified and are not accepted.
public enum SignerIdentity: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "SignerIdentity"

    case certHash(hashAlgorithm: HashAlgorithm, certificateHash: [UInt8])
    case certHashNodeId(hashAlgorithm: HashAlgorithm, certificateNodeIdHash: [UInt8])
    case none

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

    public var typeCode: UInt8 {
        switch self {
        case .certHash: return 1
        case .certHashNodeId: return 2
        case .none: return 3
        }
    }

    public var typeName: String {
        switch self {
        case .certHash: return "cert_hash"
        case .certHashNodeId: return "cert_hash_node_id"
        case .none: return "none"
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> SignerIdentity {
        let start = reader.offset
        let type = try reader.readUInt8("SignerIdentity.identity_type")
        var value = try reader.readContainer(2, "SignerIdentity.length", configuration)
        let identity: SignerIdentity
        switch type {
        case 1, 2:
            let algorithm = HashAlgorithm(rawValue: try value.readUInt8("SignerIdentityValue.hash_alg"))
            let hash = try value.readOpaque(1, "SignerIdentityValue.certificate_hash", configuration)
            identity = type == 1
                ? .certHash(hashAlgorithm: algorithm, certificateHash: hash)
                : .certHashNodeId(hashAlgorithm: algorithm, certificateNodeIdHash: hash)
        case 3:
            identity = .none
        default:
            throw .invalidValue(field: "SignerIdentity.identity_type", offset: start, value: UInt64(type))
        }
        try value.expectEnd("SignerIdentity.identity")
        return identity
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(typeCode)
        let mark = writer.beginContainer(lengthWidth: 2)
        switch self {
        case .certHash(let algorithm, let hash), .certHashNodeId(let algorithm, let hash):
            writer.writeUInt8(algorithm.rawValue)
            try writer.writeOpaque(hash, lengthWidth: 1, "SignerIdentityValue.certificate_hash")
        case .none:
            break
        }
        try writer.endContainer(mark, "SignerIdentity.length")
    }
}
