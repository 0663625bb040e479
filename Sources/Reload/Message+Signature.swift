import Wire

// §6.3.4: the message signature is computed over
//     overlay || transaction_id || MessageContents || SignerIdentity
// with overlay and transaction_id from the forwarding header. Only the destination verifies,
// after reassembly; a message whose signature fails is dropped and never processed. Reload
// only builds the signed bytes; Signing (over Crypto) hashes, signs and verifies them.
extension Message {
    /// The exact bytes that are signed for `identity`.
    public func signatureInput(identity: SignerIdentity) throws(WireError) -> [UInt8] {
        var writer = ByteWriter(capacity: 512)
        writer.writeUInt32(header.overlay)
        writer.writeUInt64(header.transactionId)
        try contents.encode(to: &writer)
        try identity.encode(to: &writer)
        return writer.bytes
    }
}
