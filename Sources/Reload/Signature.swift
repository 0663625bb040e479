import Wire

/// §6.3.4 Signature: SignatureAndHashAlgorithm ‖ SignerIdentity ‖ signature_value<0..2^16-1>.
/// Used over messages (§6.3.4) and over stored values (§7.1).
public struct Signature: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "Signature"
    public var algorithm: SignatureAndHashAlgorithm
    public var identity: SignerIdentity
    public var value: [UInt8]

    public init(algorithm: SignatureAndHashAlgorithm, identity: SignerIdentity, value: [UInt8]) {
        self.algorithm = algorithm
        self.identity = identity
        self.value = value
    }

    /// §7.4.2.2: the empty signature of a value the storing peer synthesizes (exists = False):
    /// identity none, algorithm {0, 0}, no signature bytes.
    public static let synthesized = Signature(algorithm: .anonymous, identity: .none, value: [])

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> Signature {
        let algorithm = try SignatureAndHashAlgorithm.decode(from: &reader, configuration)
        let identity = try SignerIdentity.decode(from: &reader, configuration)
        let value = try reader.readOpaque(2, "Signature.signature_value", configuration)
        return Signature(algorithm: algorithm, identity: identity, value: value)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try algorithm.encode(to: &writer)
        try identity.encode(to: &writer)
        try writer.writeOpaque(value, lengthWidth: 2, "Signature.signature_value")
    }
}
