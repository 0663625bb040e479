/// An expanded XML name (Namespaces in XML 1.0 §3): the namespace URI ("" for none) and the
/// local part; `qualifiedName` is the name as written ("chord:chord-ping-interval"), for messages.
public struct XMLName: Equatable, Sendable {
    public let namespace: String
    public let localName: String
    public let qualifiedName: String

    public init(namespace: String, localName: String, qualifiedName: String) {
        self.namespace = namespace
        self.localName = localName
        self.qualifiedName = qualifiedName
    }
}
