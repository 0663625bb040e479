/// One element of a parsed document.
public struct XMLElement: Equatable, Sendable {
    public let name: XMLName
    public internal(set) var attributes: [XMLAttribute]
    public internal(set) var children: [XMLElement]
    /// The character data directly inside this element (not inside children), references
    /// expanded, line ends normalised to LF.
    public internal(set) var text: String
    /// Byte offset of the "<" that starts the element, and one past the ">" that ends it (of
    /// the end tag, or of "/>"): the exact bytes RFC 6940 §11.1 signs.
    public let startOffset: Int
    public internal(set) var endOffset: Int

    public var byteRange: Range<Int> { startOffset..<endOffset }

    /// The attribute without namespace named `localName`.
    public func attribute(_ localName: String) -> XMLAttribute? {
        return attributes.first { $0.name.namespace.isEmpty && $0.name.localName == localName }
    }

    /// True when the character data is only XML whitespace.
    public var hasOnlyWhitespaceText: Bool {
        return text.utf8.allSatisfy(XMLCharacters.isWhitespace)
    }
}
