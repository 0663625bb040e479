/// `<kind>` of a kind-block (RFC 6940 §11.1): a Kind the overlay's members must support.
public struct KindDefinition: Equatable {
    public enum Identifier: Equatable {
        /// A Kind registered with IANA, by name ("SIP-REGISTRATION").
        case name(String)
        /// A Kind-ID from the private space.
        case id(UInt32)
    }

    /// data-model-type: SINGLE, ARRAY, DICTIONARY or an extension name.
    public enum DataModel: Equatable {
        case single, array, dictionary
        case other(String)

        init(_ text: String) {
            switch text {
            case "SINGLE": self = .single
            case "ARRAY": self = .array
            case "DICTIONARY": self = .dictionary
            default: self = .other(text)
            }
        }

        public var name: String {
            switch self {
            case .single: return "SINGLE"
            case .array: return "ARRAY"
            case .dictionary: return "DICTIONARY"
            case .other(let text): return text
            }
        }
    }

    /// access-control-type: USER-MATCH, NODE-MATCH, USER-NODE-MATCH, NODE-MULTIPLE or an
    /// extension name.
    public enum AccessControl: Equatable {
        case userMatch, nodeMatch, userNodeMatch, nodeMultiple
        case other(String)

        init(_ text: String) {
            switch text {
            case "USER-MATCH": self = .userMatch
            case "NODE-MATCH": self = .nodeMatch
            case "USER-NODE-MATCH": self = .userNodeMatch
            case "NODE-MULTIPLE": self = .nodeMultiple
            default: self = .other(text)
            }
        }

        public var name: String {
            switch self {
            case .userMatch: return "USER-MATCH"
            case .nodeMatch: return "NODE-MATCH"
            case .userNodeMatch: return "USER-NODE-MATCH"
            case .nodeMultiple: return "NODE-MULTIPLE"
            case .other(let text): return text
            }
        }
    }

    public var identifier: Identifier
    public var dataModel: DataModel
    public var accessControl: AccessControl
    /// max-count: values of this Kind a member must be able to store at one Resource-ID.
    public var maxCount: Int
    /// max-size: bytes of one value.
    public var maxSize: Int
    /// max-node-multiple: required (> 0) when access control is NODE-MULTIPLE.
    public var maxNodeMultiple: Int?

    public init(
        identifier: Identifier, dataModel: DataModel, accessControl: AccessControl, maxCount: Int, maxSize: Int,
        maxNodeMultiple: Int? = nil
    ) {
        self.identifier = identifier
        self.dataModel = dataModel
        self.accessControl = accessControl
        self.maxCount = maxCount
        self.maxSize = maxSize
        self.maxNodeMultiple = maxNodeMultiple
    }
}
