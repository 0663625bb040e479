/// A parsed overlay configuration document (RFC 6940 §11.1, application/p2p-overlay+xml):
/// one `<overlay>` with one or more configurations, each with the exact bytes its signature
/// covers.
public struct OverlayDocument {
    public let configurations: [SignedConfiguration]

    /// The single entry point for bytes from the network or a file (and the fuzz target's):
    /// strict XML (XMLDocument), then the grammar of §11.1.1.
    public static func parse(_ bytes: [UInt8]) throws(OverlayConfigError) -> OverlayDocument {
        let xml = try XMLDocument.parse(bytes)
        return try OverlayDocumentReader(document: xml).read()
    }

    /// The configuration for an overlay name (§11.2: a document whose instance-name does not
    /// match the overlay name is discarded).
    public func configuration(instanceName: String) -> SignedConfiguration? {
        return configurations.first { $0.configuration.instanceName == instanceName }
    }
}
