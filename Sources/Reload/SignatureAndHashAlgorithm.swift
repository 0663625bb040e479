import Wire

/// §6.3.4 algorithm: TLS SignatureAndHashAlgorithm, hash(1) ‖ signature(1).
public struct SignatureAndHashAlgorithm: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "SignatureAndHashAlgorithm"
    public var hash: HashAlgorithm
    public var signature: SignatureAlgorithm

    public init(hash: HashAlgorithm, signature: SignatureAlgorithm) {
        self.hash = hash
        self.signature = signature
    }

    /// What p2psip signs with.
    public static let ecdsaSHA256 = SignatureAndHashAlgorithm(hash: .sha256, signature: .ecdsa)
    /// §6.3.4: every implementation MUST support RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rsaSHA256 = SignatureAndHashAlgorithm(hash: .sha256, signature: .rsa)
    /// §7.4.2.2: {0, 0} ("anonymous", "none") for values a storing peer synthesizes.
    public static let anonymous = SignatureAndHashAlgorithm(hash: .none, signature: .anonymous)

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> SignatureAndHashAlgorithm {
        let hash = try reader.readUInt8("SignatureAndHashAlgorithm.hash")
        let signature = try reader.readUInt8("SignatureAndHashAlgorithm.signature")
        return SignatureAndHashAlgorithm(hash: HashAlgorithm(rawValue: hash), signature: SignatureAlgorithm(rawValue: signature))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(hash.rawValue)
        writer.writeUInt8(signature.rawValue)
    }
}
