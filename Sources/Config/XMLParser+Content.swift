extension XMLParser {
    /// content ::= CharData? ((element | Reference | Comment) CharData?)*  then ETag.
    /// CDATA sections and processing instructions are refused.
    mutating func parseContent(of element: inout XMLElement, qualifiedName: [UInt8], depth: Int) throws(OverlayConfigError) {
        var text: [UInt8] = []
        while true {
            guard offset < bytes.count else {
                throw malformed("element <\(String(decoding: qualifiedName, as: UTF8.self))> is not closed",
                                at: element.startOffset)
            }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "<") {
                if hasPrefix(Array("</".utf8)) {
                    try parseEndTag(qualifiedName)
                    break
                }
                if hasPrefix(Array("<!--".utf8)) {
                    try skipComment()
                } else if hasPrefix(Array("<![CDATA[".utf8)) {
                    throw malformed("CDATA sections are not accepted")
                } else if hasPrefix(Array("<?".utf8)) {
                    throw malformed("processing instructions are not accepted")
                } else if hasPrefix(Array("<!".utf8)) {
                    throw malformed("markup declarations are not accepted")
                } else {
                    element.children.append(try parseElement(depth: depth + 1))
                }
                continue
            }
            try appendCharacterData(byte, to: &text)
            guard text.count <= ConfigLimits.maximumTextBytes else {
                throw overLimit("character data of one element", ConfigLimits.maximumTextBytes)
            }
        }
        element.text = String(decoding: text, as: UTF8.self)
    }

    /// One step of CharData ::= [^<&]* - ([^<&]* ']]>' [^<&]*), or a reference; CR LF and CR
    /// become LF (XML 1.0 §2.11).
    mutating func appendCharacterData(_ byte: UInt8, to text: inout [UInt8]) throws(OverlayConfigError) {
        switch byte {
        case UInt8(ascii: "&"):
            text.append(contentsOf: try parseReference())
        case 0x0D:
            text.append(0x0A)
            offset += 1
            if offset < bytes.count, bytes[offset] == 0x0A { offset += 1 }
        case UInt8(ascii: ">"):
            if offset >= 2, bytes[offset - 1] == UInt8(ascii: "]"), bytes[offset - 2] == UInt8(ascii: "]") {
                throw malformed("]]> in character data")
            }
            text.append(byte)
            offset += 1
        default:
            text.append(byte)
            offset += 1
        }
    }

    /// ETag ::= '</' Name S? '>'
    mutating func parseEndTag(_ qualifiedName: [UInt8]) throws(OverlayConfigError) {
        let start = offset
        offset += 2
        let name = try parseName()
        guard name == qualifiedName else {
            throw malformed(
                "end tag </\(String(decoding: name, as: UTF8.self))> does not match "
                    + "<\(String(decoding: qualifiedName, as: UTF8.self))>", at: start)
        }
        skipWhitespace()
        try expect(UInt8(ascii: ">"), "> to close the end tag")
    }

    /// Resolves a qualified name against the declarations in scope (Namespaces in XML §6):
    /// unprefixed elements take the default namespace, unprefixed attributes none.
    func resolve(_ qualifiedName: [UInt8], at nameOffset: Int, isAttribute: Bool) throws(OverlayConfigError) -> XMLName {
        let text = String(decoding: qualifiedName, as: UTF8.self)
        guard let colon = qualifiedName.firstIndex(of: UInt8(ascii: ":")) else {
            let namespace = isAttribute ? "" : (lookup([]) ?? "")
            return XMLName(namespace: namespace, localName: text, qualifiedName: text)
        }
        let prefix = Array(qualifiedName[..<colon])
        let local = String(decoding: qualifiedName[(colon + 1)...], as: UTF8.self)
        if prefix == Array("xml".utf8) {
            return XMLName(namespace: XMLParser.xmlNamespace, localName: local, qualifiedName: text)
        }
        guard let namespace = lookup(prefix), !namespace.isEmpty else {
            throw malformed("namespace prefix \(String(decoding: prefix, as: UTF8.self)) is not declared", at: nameOffset)
        }
        return XMLName(namespace: namespace, localName: local, qualifiedName: text)
    }

    func lookup(_ prefix: [UInt8]) -> String? {
        for scope in scopes.reversed() {
            if let declaration = scope.first(where: { $0.prefix == prefix }) { return declaration.uri }
        }
        return nil
    }

    /// Attributes with expanded names; two with the same expanded name are an error.
    func resolveAttributes(
        _ raw: [(name: [UInt8], value: [UInt8], offset: Int)]
    ) throws(OverlayConfigError) -> [XMLAttribute] {
        var attributes: [XMLAttribute] = []
        for attribute in raw {
            let name = try resolve(attribute.name, at: attribute.offset, isAttribute: true)
            guard !attributes.contains(where: { $0.name.namespace == name.namespace && $0.name.localName == name.localName })
            else { throw malformed("attribute \(name.qualifiedName) appears twice", at: attribute.offset) }
            attributes.append(
                XMLAttribute(name: name, value: String(decoding: attribute.value, as: UTF8.self), offset: attribute.offset))
        }
        return attributes
    }
}
