/// RFC 6940 §11.1.1:
///
///     kind-block = element kind-block {
///         element kind { ( attribute name { kind-names } | attribute id { xsd:unsignedInt } ),
///                        kind-parameter } &
///         element kind-signature { attribute algorithm { signature-algorithm-type }?,
///                                  xsd:base64Binary }? }
///     kind-parameter &= element max-count { xsd:int }
///     kind-parameter &= element max-size { xsd:int }
///     kind-parameter &= element max-node-multiple { xsd:int }?
///     kind-parameter &= element data-model { data-model-type }
///     kind-parameter &= element access-control { access-control-type }
///     kind-parameter &= foreign-elements*
extension OverlayDocumentReader {
    func readRequiredKinds(
        _ element: XMLElement
    ) throws(OverlayConfigError) -> ([KindDefinition], [(signedBytes: [UInt8], signature: DetachedSignature?)]) {
        try checkAttributes(element, allowed: [])
        try requireNoText(element)
        var kinds: [KindDefinition] = []
        var signatures: [(signedBytes: [UInt8], signature: DetachedSignature?)] = []
        for block in element.children {
            try requireBaseNamespace(block)
            guard block.name.localName == "kind-block" else { throw .unknownElement(block.name.qualifiedName, location(block)) }
            guard kinds.count < ConfigLimits.maximumKinds else {
                throw .limitExceeded("kind-blocks", limit: ConfigLimits.maximumKinds, location(block))
            }
            let (kind, kindElement, signature) = try readKindBlock(block)
            if kinds.contains(where: { $0.identifier == kind.identifier }) {
                throw .duplicate(element: "required-kinds", what: "the same kind", location(block))
            }
            kinds.append(kind)
            signatures.append((Array(document.bytes[kindElement.byteRange]), signature))
        }
        return (kinds, signatures)
    }

    func readKindBlock(_ block: XMLElement) throws(OverlayConfigError) -> (KindDefinition, XMLElement, DetachedSignature?) {
        try checkAttributes(block, allowed: [])
        try requireNoText(block)
        var kind: (KindDefinition, XMLElement)? = nil
        var signature: DetachedSignature? = nil
        var sawSignature = false
        for child in block.children {
            try requireBaseNamespace(child)
            switch child.name.localName {
            case "kind":
                guard kind == nil else { throw .duplicate(element: "kind-block", what: "<kind>", location(child)) }
                kind = (try readKind(child), child)
            case "kind-signature":
                guard !sawSignature else { throw .duplicate(element: "kind-block", what: "<kind-signature>", location(child)) }
                sawSignature = true
                signature = try readSignature(child)
            default:
                throw .unknownElement(child.name.qualifiedName, location(child))
            }
        }
        guard let (definition, element) = kind else { throw .missing(element: "kind-block", what: "<kind>", location(block)) }
        return (definition, element, signature)
    }

    func readKind(_ element: XMLElement) throws(OverlayConfigError) -> KindDefinition {
        try checkAttributes(element, allowed: ["name", "id"])
        try requireNoText(element)
        let identifier = try kindIdentifier(element)
        var values: [String: XMLElement] = [:]
        for child in element.children {
            if child.name.namespace != ConfigNamespaces.base && child.name.namespace != ConfigNamespaces.chord
                && !child.name.namespace.isEmpty
            {
                continue  // foreign-elements
            }
            try requireBaseNamespace(child)
            let name = child.name.localName
            guard ["max-count", "max-size", "max-node-multiple", "data-model", "access-control"].contains(name) else {
                throw .unknownElement(child.name.qualifiedName, location(child))
            }
            guard values[name] == nil else { throw .duplicate(element: "kind", what: "<\(name)>", location(child)) }
            try checkAttributes(child, allowed: [])
            values[name] = child
        }
        func required(_ name: String) throws(OverlayConfigError) -> XMLElement {
            guard let child = values[name] else { throw .missing(element: "kind", what: "<\(name)>", location(element)) }
            return child
        }
        let int32 = 0...Int(Int32.max)
        var kind = KindDefinition(
            identifier: identifier, dataModel: .init(try token(required("data-model"))),
            accessControl: .init(try token(required("access-control"))),
            maxCount: try integer(required("max-count"), in: int32), maxSize: try integer(required("max-size"), in: int32))
        if let multiple = values["max-node-multiple"] {
            kind.maxNodeMultiple = try integer(multiple, in: 1...Int(Int32.max))
        } else if kind.accessControl == .nodeMultiple {
            throw .missing(element: "kind", what: "<max-node-multiple> (access control NODE-MULTIPLE)", location(element))
        }
        return kind
    }

    /// Exactly one of name and id.
    func kindIdentifier(_ element: XMLElement) throws(OverlayConfigError) -> KindDefinition.Identifier {
        switch (element.attribute("name"), element.attribute("id")) {
        case (let name?, nil):
            guard isToken(Array(name.value.utf8)) else {
                throw .invalidValue(element: "kind", attribute: "name", reason: "not a Kind name", location(name))
            }
            return .name(name.value)
        case (nil, let id?):
            return .id(UInt32(try attributeInteger(id.value, in: 0...Int64(UInt32.max), element, id)))
        case (nil, nil):
            throw .missing(element: "kind", what: "attribute name or id", location(element))
        case (_, let id?):
            throw .duplicate(element: "kind", what: "both name and id", location(id))
        }
    }
}
