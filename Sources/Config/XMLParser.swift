/// The recursive-descent parser behind XMLDocument (XML 1.0 Fifth Edition and Namespaces in
/// XML 1.0, the subset described there). Depth is bounded, so recursion is too.
struct XMLParser {
    let bytes: [UInt8]
    var offset = 0
    var elementCount = 0
    /// In-scope namespace declarations, innermost last: (prefix, URI); prefix "" is the default.
    var scopes: [[(prefix: [UInt8], uri: String)]] = []

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func location(_ at: Int) -> SourceLocation { XMLCharacters.location(of: at, in: bytes) }

    func malformed(_ what: String, at: Int? = nil) -> OverlayConfigError {
        return .malformedXML(what, location(at ?? offset))
    }

    func overLimit(_ what: String, _ limit: Int, at: Int? = nil) -> OverlayConfigError {
        return .limitExceeded(what, limit: limit, location(at ?? offset))
    }

    /// document ::= prolog element Misc*   (prolog ::= XMLDecl? Misc*, no doctypedecl)
    mutating func parseDocument() throws(OverlayConfigError) -> XMLElement {
        guard bytes.count <= ConfigLimits.maximumDocumentBytes else {
            throw overLimit("document of \(bytes.count) bytes", ConfigLimits.maximumDocumentBytes, at: 0)
        }
        if let bad = XMLCharacters.firstInvalidOffset(bytes) {
            throw malformed("byte \(bad) is not UTF-8 text of XML characters", at: bad)
        }
        if hasPrefix([0xEF, 0xBB, 0xBF]) { offset = 3 }
        try parseXMLDeclarationIfPresent()
        try skipMisc()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "<") else { throw malformed("no root element") }
        let root = try parseElement(depth: 1)
        try skipMisc()
        guard offset == bytes.count else { throw malformed("content after the root element") }
        return root
    }

    /// Misc ::= Comment | PI | S, with processing instructions and declarations refused.
    mutating func skipMisc() throws(OverlayConfigError) {
        while true {
            skipWhitespace()
            if hasPrefix(Array("<!--".utf8)) {
                try skipComment()
            } else if hasPrefix(Array("<!DOCTYPE".utf8)) {
                throw malformed("DOCTYPE declarations are not accepted")
            } else if hasPrefix(Array("<?".utf8)) {
                throw malformed("processing instructions are not accepted")
            } else if hasPrefix(Array("<!".utf8)) {
                throw malformed("markup declarations are not accepted")
            } else {
                return
            }
        }
    }

    /// element ::= EmptyElemTag | STag content ETag
    mutating func parseElement(depth: Int) throws(OverlayConfigError) -> XMLElement {
        let start = offset
        guard depth <= ConfigLimits.maximumDepth else { throw overLimit("element depth", ConfigLimits.maximumDepth) }
        elementCount += 1
        guard elementCount <= ConfigLimits.maximumElements else {
            throw overLimit("number of elements", ConfigLimits.maximumElements)
        }
        offset += 1
        let tag = try parseStartTag()
        scopes.append(tag.declarations)
        defer { scopes.removeLast() }
        let name = try resolve(tag.name, at: start + 1, isAttribute: false)
        let attributes = try resolveAttributes(tag.attributes)
        var element = XMLElement(
            name: name, attributes: attributes, children: [], text: "", startOffset: start, endOffset: start)
        if !tag.isEmpty { try parseContent(of: &element, qualifiedName: tag.name, depth: depth) }
        element.endOffset = offset
        return element
    }

    struct StartTag {
        var name: [UInt8] = []
        var attributes: [(name: [UInt8], value: [UInt8], offset: Int)] = []
        var declarations: [(prefix: [UInt8], uri: String)] = []
        var isEmpty = false
    }

    /// STag ::= '<' Name (S Attribute)* S? '>' ; EmptyElemTag ::= '<' Name (S Attribute)* S? '/>'
    mutating func parseStartTag() throws(OverlayConfigError) -> StartTag {
        var tag = StartTag()
        tag.name = try parseName()
        while true {
            let spaced = skipWhitespace()
            guard offset < bytes.count else { throw malformed("start tag not closed") }
            if hasPrefix(Array("/>".utf8)) {
                offset += 2
                tag.isEmpty = true
                return tag
            }
            if bytes[offset] == UInt8(ascii: ">") {
                offset += 1
                return tag
            }
            guard spaced else { throw malformed("attributes must be separated by whitespace") }
            let attributeOffset = offset
            let name = try parseName()
            skipWhitespace()
            try expect(UInt8(ascii: "="), "= after attribute name")
            skipWhitespace()
            let value = try parseAttributeValue()
            try record(name: name, value: value, at: attributeOffset, in: &tag)
        }
    }

    /// Sorts an attribute into namespace declarations and ordinary attributes.
    func record(name: [UInt8], value: [UInt8], at attributeOffset: Int, in tag: inout StartTag) throws(OverlayConfigError) {
        let xmlns = Array("xmlns".utf8)
        if name == xmlns || (name.count > 6 && Array(name[0..<6]) == Array("xmlns:".utf8)) {
            let prefix = name == xmlns ? [] : Array(name[6...])
            guard prefix != Array("xmlns".utf8), prefix != Array("xml".utf8) else {
                throw malformed("the prefixes xml and xmlns cannot be declared", at: attributeOffset)
            }
            guard prefix.isEmpty || !value.isEmpty else {
                throw malformed("a namespace prefix cannot be undeclared", at: attributeOffset)
            }
            guard !tag.declarations.contains(where: { $0.prefix == prefix }) else {
                throw malformed("namespace declared twice on one element", at: attributeOffset)
            }
            guard tag.declarations.count < ConfigLimits.maximumNamespaceDeclarationsPerElement else {
                throw overLimit("namespace declarations", ConfigLimits.maximumNamespaceDeclarationsPerElement)
            }
            tag.declarations.append((prefix, String(decoding: value, as: UTF8.self)))
            return
        }
        guard tag.attributes.count < ConfigLimits.maximumAttributesPerElement else {
            throw overLimit("attributes on one element", ConfigLimits.maximumAttributesPerElement, at: attributeOffset)
        }
        tag.attributes.append((name, value, attributeOffset))
    }
}
