/// Reads the RELAX NG grammar of RFC 6940 §11.1.1 out of a parsed XML document:
///
///     start = element p2pcf:overlay { overlay-element }
///     overlay-element &= element configuration {
///                 attribute instance-name { xsd:string },
///                 attribute expiration { xsd:dateTime }?,
///                 attribute sequence { xsd:long }?,
///                 foreign-attributes*, parameter }+
///     overlay-element &= element signature {
///                 attribute algorithm { signature-algorithm-type }?, xsd:base64Binary }*
///
/// Unknown elements in the RELOAD namespaces, elements without a namespace and foreign
/// elements where the grammar has none are errors; foreign elements inside configuration and
/// kind are skipped.
struct OverlayDocumentReader {
    let document: XMLDocument

    func read() throws(OverlayConfigError) -> OverlayDocument {
        let root = document.root
        guard root.name.namespace == ConfigNamespaces.base, root.name.localName == "overlay" else {
            throw .unknownElement(root.name.qualifiedName + " (the root must be overlay in \(ConfigNamespaces.base))",
                                  location(root))
        }
        try checkAttributes(root, allowed: [])
        try requireNoText(root)
        var configurations: [SignedConfiguration] = []
        var pending: (OverlayConfiguration, Range<Int>, [(signedBytes: [UInt8], signature: DetachedSignature?)])? = nil
        var signatures: [DetachedSignature] = []
        func flush() {
            if let (configuration, range, kinds) = pending {
                configurations.append(SignedConfiguration(
                    configuration: configuration, signedRange: range, signedBytes: Array(document.bytes[range]),
                    signatures: signatures, kindSignatures: kinds))
            }
            pending = nil
            signatures = []
        }
        for child in root.children {
            try requireBaseNamespace(child)
            switch child.name.localName {
            case "configuration":
                flush()
                guard configurations.count < ConfigLimits.maximumConfigurations else {
                    throw .limitExceeded("configurations", limit: ConfigLimits.maximumConfigurations, location(child))
                }
                let (configuration, kinds) = try readConfiguration(child)
                if configurations.contains(where: { $0.configuration.instanceName == configuration.instanceName }) {
                    throw .duplicate(element: "overlay", what: "instance-name \(configuration.instanceName)", location(child))
                }
                pending = (configuration, child.byteRange, kinds)
            case "signature":
                guard pending != nil else {
                    throw .unknownElement("signature (it must follow a configuration)", location(child))
                }
                guard signatures.count < ConfigLimits.maximumSignaturesPerConfiguration else {
                    throw .limitExceeded("signatures of one configuration",
                                         limit: ConfigLimits.maximumSignaturesPerConfiguration, location(child))
                }
                signatures.append(try readSignature(child))
            default:
                throw .unknownElement(child.name.qualifiedName, location(child))
            }
        }
        flush()
        guard !configurations.isEmpty else { throw .missing(element: "overlay", what: "a configuration", location(root)) }
        return OverlayDocument(configurations: configurations)
    }

    /// The configuration element: attributes, then every parameter.
    func readConfiguration(
        _ element: XMLElement
    ) throws(OverlayConfigError) -> (OverlayConfiguration, [(signedBytes: [UInt8], signature: DetachedSignature?)]) {
        try checkAttributes(element, allowed: ["instance-name", "expiration", "sequence"], foreignAllowed: true)
        try requireNoText(element)
        guard let name = element.attribute("instance-name") else {
            throw .missing(element: "configuration", what: "attribute instance-name", location(element))
        }
        guard isOverlayName(name.value) else {
            throw .invalidValue(element: "configuration", attribute: "instance-name",
                                reason: "not an overlay name (letters, digits, - . _ ~)", location(name))
        }
        var configuration = OverlayConfiguration(instanceName: name.value)
        if let sequence = element.attribute("sequence") {
            configuration.sequence = try integer(sequence.value, in: ConfigLimits.sequenceRange, element, sequence)
        }
        if let expiration = element.attribute("expiration") {
            guard let seconds = InternetTime.parse(expiration.value) else {
                throw .invalidValue(element: "configuration", attribute: "expiration",
                                    reason: "not an RFC 3339 date-time in UTC", location(expiration))
            }
            configuration.expiresAtSeconds = seconds
        }
        var parameters = ParameterState()
        for child in element.children {
            try readParameter(child, into: &configuration, state: &parameters)
        }
        if !parameters.sawLinkProtocol { configuration.overlayLinkProtocols = ["TLS"] }
        return (configuration, parameters.kindSignatures)
    }

    /// `<signature algorithm="...">base64</signature>` and `<kind-signature>`.
    func readSignature(_ element: XMLElement) throws(OverlayConfigError) -> DetachedSignature {
        try checkAttributes(element, allowed: ["algorithm"])
        let value = try base64(element, limit: ConfigLimits.maximumSignatureBytes)
        return DetachedSignature(algorithm: element.attribute("algorithm")?.value, value: value)
    }
}
