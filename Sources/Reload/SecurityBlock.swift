import Wire

/// §6.3.4 SecurityBlock: GenericCertificate certificates<0..2^16-1> ‖ Signature. The
/// certificates SHOULD include every one needed to verify the message and the values in it.
public struct SecurityBlock: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "SecurityBlock"
    public var certificates: [GenericCertificate]
    public var signature: Signature

    public init(certificates: [GenericCertificate], signature: Signature) {
        self.certificates = certificates
        self.signature = signature
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> SecurityBlock {
        let certificates: [GenericCertificate] = try reader.readList(
            2, countLimit: ReloadLimits.certificates, "SecurityBlock.certificates", configuration)
        let signature = try Signature.decode(from: &reader, configuration)
        return SecurityBlock(certificates: certificates, signature: signature)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(certificates, 2, countLimit: ReloadLimits.certificates, "SecurityBlock.certificates")
        try signature.encode(to: &writer)
    }
}
