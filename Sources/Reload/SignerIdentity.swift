import Wire

/// §6.3.4 SignerIdentity: identity_type(1) ‖ length u16 ‖ SignerIdentityValue. cert_hash is
/// H(DER certificate) for a certificate with one Node-ID; cert_hash_node_id is
/// H(NodeId ‖ certificate) for one with several; none (empty) only for values a storing peer
/// synthesizes (§7.4.2.2). Other identity types cannot be verified and are not accepted.
/// Reload carries the hash values; Signing computes and compares them (SHA over Crypto).
public enum SignerIdentity: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "SignerIdentity"

    case certHash(hashAlgorithm: HashAlgorithm, certificateHash: [UInt8])
    case certHashNodeId(hashAlgorithm: HashAlgorithm, certificateNodeIdHash: [UInt8])
    case none

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
