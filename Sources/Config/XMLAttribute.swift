/// One attribute, its value normalised (XML 1.0 §3.3.3: references expanded, each whitespace
/// character replaced by a space). Namespace declarations (xmlns, xmlns:p) are not attributes.
public struct XMLAttribute: Equatable, Sendable {
    public let name: XMLName
    public let value: String
    /// Byte offset of the attribute name in the document.
    public let offset: Int
}
