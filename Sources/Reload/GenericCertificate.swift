import Wire

/// §6.3.4 GenericCertificate: type (CertificateType of RFC 6091: X.509 = 0, OpenPGP = 1) ‖
/// certificate<0..2^16-1> (DER for X.509).
public struct GenericCertificate: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "GenericCertificate"
    public static let x509: UInt8 = 0

    public var type: UInt8
    public var certificate: [UInt8]

    public init(type: UInt8 = GenericCertificate.x509, certificate: [UInt8]) {
        self.type = type
        self.certificate = certificate
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> GenericCertificate {
        let type = try reader.readUInt8("GenericCertificate.type")
        let certificate = try reader.readOpaque(2, "GenericCertificate.certificate", configuration)
        return GenericCertificate(type: type, certificate: certificate)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(type)
        try writer.writeOpaque(certificate, lengthWidth: 2, "GenericCertificate.certificate")
    }
}
