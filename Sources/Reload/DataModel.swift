/// §7.2: how values of a kind are organised. Not on the wire: it comes from the kind's
/// definition, and decoding StoredData, StoredMetaData and StoredDataSpecifier depends on it.
public enum DataModel: Equatable, Sendable {
    case singleValue
    case array
    case dictionary

    /// The name used in configuration documents and by Wireshark (§11.1 data-model).
    public var name: String {
        switch self {
        case .singleValue: return "SINGLE"
        case .array: return "ARRAY"
        case .dictionary: return "DICTIONARY"
        }
    }
}
