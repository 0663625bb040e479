import Wire

/// The `values<0..2^32-1>` list of one kind in StoreKindData, FetchKindResponse and
/// StatKindResponse. Decoding the values needs the kind's data model; when the kind is not in
/// the node's KindTable the list is kept as bytes, so that the node can answer
/// Error_Unknown_Kind (§7.4.1.2) and a printer can still show the rest of the message.
public enum KindValues<Element: ModelledValue>: Equatable, Sendable {
    case known([Element])
    case unknown([UInt8])

    public var values: [Element]? {
        if case .known(let values) = self { return values }
        return nil
    }

    static func decode(
        kind: KindId, from reader: inout ByteReader, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> KindValues {
        var list = try reader.readContainer(4, field, configuration)
        guard let model = configuration.kinds.dataModel(of: kind) else {
            return .unknown(try list.readBytes(list.remaining, field))
        }
        var values: [Element] = []
        while !list.isAtEnd {
            if values.count >= ReloadLimits.valuesPerKind {
                throw .countOverLimit(field: field, offset: list.offset, limit: ReloadLimits.valuesPerKind)
            }
            values.append(try Element.decode(model: model, from: &list, configuration))
        }
        return .known(values)
    }

    func encode(to writer: inout ByteWriter, _ field: String) throws(WireError) {
        let mark = writer.beginContainer(lengthWidth: 4)
        switch self {
        case .known(let values):
            try writer.checkCount(values.count, ReloadLimits.valuesPerKind, field)
            for value in values { try value.encode(to: &writer) }
        case .unknown(let bytes):
            writer.writeBytes(bytes)
        }
        try writer.endContainer(mark, field)
    }
}
