/// One revoked certificate of a CRL: its serial number and when it was revoked.
public struct RevokedCertificate: Equatable {
    public var serialNumber: [UInt8]
    public var revocationDate: CertificateTime

    public init(serialNumber: [UInt8], revocationDate: CertificateTime) {
        self.serialNumber = serialNumber
        self.revocationDate = revocationDate
    }
}
