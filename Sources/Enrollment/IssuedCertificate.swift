import Wire

/// One certificate the enrollment server issued.
public struct IssuedCertificate: Equatable {
    public var serialNumber: [UInt8]
    public var user: String
    /// SHA-256 of the certified key's DER SubjectPublicKeyInfo: a key is enrolled once.
    public var keyHash: [UInt8]
    /// The certificate's notAfter, in seconds since 1970 (as the ledger writes it).
    public var notAfterSeconds: Int64
    public var nodeIds: [[UInt8]]
    /// For a renewal: the serial of the certificate it renews (same user, key and Node-IDs).
    public var renewedFrom: [UInt8]?

    public init(
        serialNumber: [UInt8], user: String, keyHash: [UInt8], notAfterSeconds: Int64, nodeIds: [[UInt8]],
        renewedFrom: [UInt8]? = nil
    ) {
        self.serialNumber = serialNumber
        self.user = user
        self.keyHash = keyHash
        self.notAfterSeconds = notAfterSeconds
        self.nodeIds = nodeIds
        self.renewedFrom = renewedFrom
    }

    /// Its ledger line (without the LF). A renewal names only what is new: user, key and
    /// Node-IDs are those of the certificate it renews.
    public var line: String {
        if let renewedFrom {
            return "renewed serial=\(Hex.encode(serialNumber)) from=\(Hex.encode(renewedFrom)) not-after=\(notAfterSeconds)"
        }
        return "issued serial=\(Hex.encode(serialNumber)) user=\(user) key=\(Hex.encode(keyHash)) not-after=\(notAfterSeconds) "
            + "node-ids=" + nodeIds.map { Hex.encode($0) }.joined(separator: ",")
    }
}
