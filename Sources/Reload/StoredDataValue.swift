import Wire

/// §7.2 StoredDataValue: a DataValue, ArrayEntry or DictionaryEntry, by the kind's data model
/// (which is not on the wire).
public enum StoredDataValue: Equatable, Sendable {
    case single(DataValue)
    case array(ArrayEntry)
    case dictionary(DictionaryEntry)

    public var model: DataModel {
        switch self {
        case .single: return .singleValue
        case .array: return .array
        case .dictionary: return .dictionary
        }
    }

    /// The DataValue inside, whatever the model.
    public var dataValue: DataValue {
        switch self {
        case .single(let value): return value
        case .array(let entry): return entry.value
        case .dictionary(let entry): return entry.value
        }
    }

    /// §7.4.2.2: the value as signed: an array entry's index is set to zero before signing, so
    /// that an append (index 0xffffffff) still verifies once the storing peer assigns the index.
    public var forSigning: StoredDataValue {
        if case .array(var entry) = self {
            entry.index = 0
            return .array(entry)
        }
        return self
    }

    public static func decode(
        model: DataModel, from reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> StoredDataValue {
        switch model {
        case .singleValue: return .single(try DataValue.decode(from: &reader, configuration))
        case .array: return .array(try ArrayEntry.decode(from: &reader, configuration))
        case .dictionary: return .dictionary(try DictionaryEntry.decode(from: &reader, configuration))
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch self {
        case .single(let value): try value.encode(to: &writer)
        case .array(let entry): try entry.encode(to: &writer)
        case .dictionary(let entry): try entry.encode(to: &writer)
        }
    }
}
