/// Why a configuration document (or its XML) was refused. Every case names the element (and
/// attribute) and where it is, so a user can find and fix it.
public enum OverlayConfigError: Error, Equatable {
    /// Not well-formed XML, or XML outside the subset we accept (DOCTYPE, CDATA, processing
    /// instructions, unknown entities, non-UTF-8 text).
    case malformedXML(String, SourceLocation)
    /// A size or count limit of ConfigLimits was reached.
    case limitExceeded(String, limit: Int, SourceLocation)
    /// An element the grammar does not allow here (unknown names in the RELOAD namespaces,
    /// elements without a namespace, foreign elements where no extension is allowed).
    case unknownElement(String, SourceLocation)
    /// An attribute the grammar does not allow on this element.
    case unknownAttribute(element: String, attribute: String, SourceLocation)
    /// A required element or attribute is absent.
    case missing(element: String, what: String, SourceLocation)
    /// An element or attribute that may appear once appears again.
    case duplicate(element: String, what: String, SourceLocation)
    /// A value outside its type or range.
    case invalidValue(element: String, attribute: String?, reason: String, SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .malformedXML(_, let location), .limitExceeded(_, _, let location), .unknownElement(_, let location),
            .unknownAttribute(_, _, let location), .missing(_, _, let location), .duplicate(_, _, let location),
            .invalidValue(_, _, _, let location):
            return location
        }
    }

    /// One line for logs and `p2psip config check`.
    public var description: String {
        let place = location.description
        switch self {
        case .malformedXML(let what, _):
            return "\(place): malformed XML: \(what)"
        case .limitExceeded(let what, let limit, _):
            return "\(place): \(what) over the limit of \(limit)"
        case .unknownElement(let name, _):
            return "\(place): element <\(name)> is not allowed here"
        case .unknownAttribute(let element, let attribute, _):
            return "\(place): attribute \(attribute) is not allowed on <\(element)>"
        case .missing(let element, let what, _):
            return "\(place): <\(element)> lacks \(what)"
        case .duplicate(let element, let what, _):
            return "\(place): <\(element)> has \(what) more than once"
        case .invalidValue(let element, let attribute, let reason, _):
            let subject = attribute.map { "attribute \($0) of <\(element)>" } ?? "<\(element)>"
            return "\(place): \(subject): \(reason)"
        }
    }
}
