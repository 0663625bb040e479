import Wire

// §7.1: each StoredData is signed over
//     resource_id || kind || storage_time || StoredDataValue || SignerIdentity
// resource_id is the Resource-ID's bytes (without its length byte: "the Resource-ID where this
// data is stored"), kind a uint32, storage_time a uint64, StoredDataValue and SignerIdentity
// as encoded. §7.4.2.2: an array entry's index is zeroed before signing. Reload only builds
// the signed bytes; Signing (over Crypto) hashes, signs and verifies them.
extension StoredData {
    /// The exact bytes signed for a value.
    public static func signatureInput(
        resource: ResourceId, kind: KindId, storageTime: UInt64, value: StoredDataValue, identity: SignerIdentity
    ) throws(WireError) -> [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.writeBytes(resource.bytes)
        writer.writeUInt32(kind.rawValue)
        writer.writeUInt64(storageTime)
        try value.forSigning.encode(to: &writer)
        try identity.encode(to: &writer)
        return writer.bytes
    }
}
