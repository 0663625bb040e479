/// A `<configuration>` element and what §11.1 needs to check its signature and those of its
/// kind-blocks. The SecurityBlock inside the signature is RELOAD's (§6.3.4), decoded elsewhere.
public struct SignedConfiguration {
    public let configuration: OverlayConfiguration
    /// Byte range in the document from the "<" of `<configuration` to the ">" of
    /// `</configuration>`, and those bytes: what the signature covers.
    public let signedRange: Range<Int>
    public let signedBytes: [UInt8]
    /// The `<signature>` elements that follow it, base64-decoded.
    public let signatures: [DetachedSignature]
    /// Per kind of `configuration.requiredKinds`, in order: the exact bytes of its `<kind>`
    /// element and its `<kind-signature>`, if any.
    public let kindSignatures: [(signedBytes: [UInt8], signature: DetachedSignature?)]
}
