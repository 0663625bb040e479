/// A parsed XML document of the subset RFC 6940 §11.1 needs: elements, attributes, character
/// data, namespaces, comments, character references and the five predefined entities, with an
/// optional XML declaration (version 1.0, encoding UTF-8). Refused: DOCTYPE (and so every other
/// entity), processing instructions, CDATA sections, non-ASCII names, anything that is not
/// UTF-8, and everything beyond the limits of ConfigLimits.
public struct XMLDocument {
    /// The document as given: byte ranges of elements index into it.
    public let bytes: [UInt8]
    public let root: XMLElement

    /// The single entry point (also the fuzz target's): bytes in, document or typed error out.
    public static func parse(_ bytes: [UInt8]) throws(OverlayConfigError) -> XMLDocument {
        var parser = XMLParser(bytes)
        let root = try parser.parseDocument()
        return XMLDocument(bytes: bytes, root: root)
    }

    /// Line and column of a byte offset, for messages.
    public func location(_ offset: Int) -> SourceLocation {
        return XMLCharacters.location(of: offset, in: bytes)
    }

    /// The exact bytes of an element, from its "<" to the ">" that closes it.
    public func bytes(of element: XMLElement) -> [UInt8] {
        return Array(bytes[element.byteRange])
    }
}
