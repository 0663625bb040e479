import Wire


/// Typed values of the grammar (XML Schema datatypes as §11.1.1 uses them). Leading and
/// trailing whitespace is dropped everywhere (the RFC's own example writes
/// `<topology-plugin> CHORD-RELOAD </topology-plugin>`).
extension OverlayDocumentReader {
    func location(_ element: XMLElement) -> SourceLocation { document.location(element.startOffset) }
    func location(_ attribute: XMLAttribute) -> SourceLocation { document.location(attribute.offset) }

    /// Only the listed attributes without namespace; with `foreignAllowed`, also attributes in
    /// namespaces other than the RELOAD ones (§11.1.1 foreign-attributes).
    func checkAttributes(_ element: XMLElement, allowed: [String], foreignAllowed: Bool = false) throws(OverlayConfigError) {
        for attribute in element.attributes {
            let namespace = attribute.name.namespace
            if namespace.isEmpty && allowed.contains(attribute.name.localName) { continue }
            let isForeign = !namespace.isEmpty && namespace != ConfigNamespaces.base && namespace != ConfigNamespaces.chord
            if foreignAllowed && isForeign { continue }
            throw .unknownAttribute(element: element.name.qualifiedName, attribute: attribute.name.qualifiedName,
                                    location(attribute))
        }
    }

    func requireBaseNamespace(_ element: XMLElement) throws(OverlayConfigError) {
        guard element.name.namespace == ConfigNamespaces.base else {
            throw .unknownElement(element.name.qualifiedName, location(element))
        }
    }

    /// A container element: children only, whitespace between them.
    func requireNoText(_ element: XMLElement) throws(OverlayConfigError) {
        guard element.hasOnlyWhitespaceText else {
            throw .invalidValue(element: element.name.qualifiedName, attribute: nil, reason: "text is not allowed here",
                                location(element))
        }
    }

    /// A leaf element's text, trimmed; child elements are not allowed.
    func trimmedText(_ element: XMLElement, limit: Int = ConfigLimits.maximumStringBytes) throws(OverlayConfigError) -> [UInt8] {
        if let child = element.children.first {
            throw .unknownElement(child.name.qualifiedName + " (inside <\(element.name.qualifiedName)>)", location(child))
        }
        let bytes = Array(element.text.utf8)
        guard bytes.count <= limit else {
            throw .limitExceeded("text of <\(element.name.qualifiedName)>", limit: limit, location(element))
        }
        return OverlayDocumentReader.trim(bytes)
    }

    static func trim(_ bytes: [UInt8]) -> [UInt8] {
        var slice = ArraySlice(bytes)
        while let first = slice.first, XMLCharacters.isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, XMLCharacters.isWhitespace(last) { slice = slice.dropLast() }
        return Array(slice)
    }

    func invalid(_ element: XMLElement, _ reason: String) -> OverlayConfigError {
        return .invalidValue(element: element.name.qualifiedName, attribute: nil, reason: reason, location(element))
    }

    /// xsd:int / xsd:long / xsd:unsignedInt, restricted to `range` (whose bounds fit Int32, so
    /// that the value is an Int on 32-bit boards too).
    func integer(_ element: XMLElement, in range: ClosedRange<Int>) throws(OverlayConfigError) -> Int {
        return Int(try wideInteger(try trimmedText(element), in: Int64(range.lowerBound)...Int64(range.upperBound)) {
            invalid(element, "not an integer in \(range.lowerBound)...\(range.upperBound)")
        })
    }

    func integer(
        _ text: String, in range: ClosedRange<Int>, _ element: XMLElement, _ attribute: XMLAttribute
    ) throws(OverlayConfigError) -> Int {
        return Int(try attributeInteger(text, in: Int64(range.lowerBound)...Int64(range.upperBound), element, attribute))
    }

    /// An attribute's integer in a 64-bit range (Kind-IDs are xsd:unsignedInt).
    func attributeInteger(
        _ text: String, in range: ClosedRange<Int64>, _ element: XMLElement, _ attribute: XMLAttribute
    ) throws(OverlayConfigError) -> Int64 {
        return try wideInteger(OverlayDocumentReader.trim(Array(text.utf8)), in: range) {
            .invalidValue(element: element.name.qualifiedName, attribute: attribute.name.qualifiedName,
                          reason: "not an integer in \(range.lowerBound)...\(range.upperBound)", location(attribute))
        }
    }

    func wideInteger(
        _ text: [UInt8], in range: ClosedRange<Int64>, _ failure: () -> OverlayConfigError
    ) throws(OverlayConfigError) -> Int64 {
        guard let value = OverlayDocumentReader.decimal(text), range.contains(value) else { throw failure() }
        return value
    }

    /// [+-]?[0-9]+ (at most 18 digits, so it cannot overflow Int64).
    static func decimal(_ text: [UInt8]) -> Int64? {
        var digits = ArraySlice(text)
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard let value = DecimalDigits.value(digits, maximumDigits: 18) else { return nil }
        return negative ? -value : value
    }

    /// xsd:boolean: true, false, 1, 0.
    func boolean(_ element: XMLElement) throws(OverlayConfigError) -> Bool {
        switch String(decoding: try trimmedText(element), as: UTF8.self) {
        case "true", "1": return true
        case "false", "0": return false
        default: throw invalid(element, "not a boolean (true, false, 1 or 0)")
        }
    }

    /// xsd:base64Binary, whitespace (line wrapping) allowed anywhere.
    func base64(_ element: XMLElement, limit: Int) throws(OverlayConfigError) -> [UInt8] {
        let text = try trimmedText(element, limit: limit)
        guard let value = Base64.decode(text, limit: limit), !value.isEmpty else { throw invalid(element, "not base64") }
        return value
    }

    /// A non-empty string without control characters.
    func string(_ element: XMLElement) throws(OverlayConfigError) -> String {
        let text = try trimmedText(element)
        guard !text.isEmpty, text.allSatisfy({ $0 >= 0x20 || $0 == 0x09 }) else {
            throw invalid(element, "empty, or control characters")
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A name such as CHORD-RELOAD, TLS, SINGLE, USER-MATCH, SIP-REGISTRATION: letters,
    /// digits, - _ . (1 to 64).
    func token(_ element: XMLElement) throws(OverlayConfigError) -> String {
        let text = try trimmedText(element)
        guard isToken(text) else { throw invalid(element, "not a name (letters, digits, - _ .)") }
        return String(decoding: text, as: UTF8.self)
    }

    func isToken(_ text: [UInt8]) -> Bool {
        return !text.isEmpty && text.count <= 64
            && text.allSatisfy { XMLCharacters.isNameCharacter($0) }
    }

    /// A URI without whitespace (mandatory-extension namespace names).
    func uri(_ element: XMLElement) throws(OverlayConfigError) -> String {
        let text = try trimmedText(element)
        guard !text.isEmpty, text.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw invalid(element, "not a URI (printable ASCII without spaces)")
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// §11.1: "This URL MUST be of type https:".
    func httpsURL(_ element: XMLElement) throws(OverlayConfigError) -> String {
        let text = try uri(element)
        let lowered = Array(text.utf8).prefix(8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard lowered == Array("https://".utf8), text.utf8.count > 8 else { throw invalid(element, "not an https: URL") }
        return text
    }

    /// A Node-ID in hex (kind-signer, configuration-signer, bad-node): 1 to 20 bytes (the
    /// RFC's own example uses 8-byte values).
    func nodeId(_ element: XMLElement) throws(OverlayConfigError) -> [UInt8] {
        try checkAttributes(element, allowed: [])
        let text = try trimmedText(element)
        guard text.count % 2 == 0, text.count <= 40, let bytes = Hex.decode(text), !bytes.isEmpty,
            text.allSatisfy({ XMLParser.digitValue($0, hexadecimal: true) != nil })
        else { throw invalid(element, "not a Node-ID in hex (1 to 20 bytes)") }
        return bytes
    }

    /// Overlay names: letters, digits and - . _ ~ (RFC 3986 unreserved: usable in reload URIs).
    func isOverlayName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.count <= 253
            && bytes.allSatisfy { XMLCharacters.isNameCharacter($0) || $0 == UInt8(ascii: "~") }
    }
}
