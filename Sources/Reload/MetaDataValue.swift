import Wire

/// §7.4.3.2 MetaDataValue: MetaData (single value), ArrayEntryMeta (index u32 ‖ MetaData) or
/// DictionaryEntryMeta (DictionaryKey ‖ MetaData), by the kind's data model.
public enum MetaDataValue: Equatable, Sendable {
    case single(MetaData)
    case array(index: UInt32, MetaData)
    case dictionary(key: [UInt8], MetaData)

    public var metaData: MetaData {
        switch self {
        case .single(let data), .array(_, let data), .dictionary(_, let data): return data
        }
    }

    public static func decode(
        model: DataModel, from reader: inout ByteReader, _ configuration: CodecConfiguration
    ) throws(WireError) -> MetaDataValue {
        switch model {
        case .singleValue:
            return .single(try MetaData.decode(from: &reader, configuration))
        case .array:
            let index = try reader.readUInt32("ArrayEntryMeta.index")
            return .array(index: index, try MetaData.decode(from: &reader, configuration))
        case .dictionary:
            let key = try reader.readOpaque(2, "DictionaryEntryMeta.key", configuration)
            return .dictionary(key: key, try MetaData.decode(from: &reader, configuration))
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch self {
        case .single(let data):
            try data.encode(to: &writer)
        case .array(let index, let data):
            writer.writeUInt32(index)
            try data.encode(to: &writer)
        case .dictionary(let key, let data):
            try writer.writeOpaque(key, lengthWidth: 2, "DictionaryEntryMeta.key")
            try data.encode(to: &writer)
        }
    }
}
