/// A parsed overlay configuration document (RFC 6940 §11.1, application/p2p-overlay+xml):
/// one `<overlay>` with one or more configurations, each with the exact bytes its signature
/// covers.
public struct OverlayDocument {
    public let configurations: [SignedConfiguration]

    /// The single entry point for bytes from the network or a file (and the fuzz target's):
    /// strict XML (XMLDocument), then the grammar of §11.1.1.
    public static func parse(_ bytes: [UInt8]) throws(ConfigError) -> OverlayDocument {
        let xml = try XMLDocument.parse(bytes)
        return try OverlayDocumentReader(document: xml).read()
    }

    /// The configuration for an overlay name (§11.2: a document whose instance-name does not
    /// match the overlay name is discarded).
    public func configuration(instanceName: String) -> SignedConfiguration? {
        return configurations.first { $0.configuration.instanceName == instanceName }
    }
}

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

/// The content of a `<signature>` or `<kind-signature>`: its optional algorithm attribute and
/// the base64-decoded bytes (a RELOAD SecurityBlock, §6.3.4).
public struct DetachedSignature: Equatable {
    public let algorithm: String?
    public let value: [UInt8]

    public init(algorithm: String?, value: [UInt8]) {
        self.algorithm = algorithm
        self.value = value
    }
}
