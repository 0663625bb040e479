import Wire

/// §7.4.2.1 StoredDataSpecifier: kind ‖ generation u64 ‖ length u16 ‖ model_specifier, which
/// by the kind's data model is empty (single value), `ArrayRange indices<0..2^16-1>` (array) or
/// `DictionaryKey keys<0..2^16-1>` (dictionary; no keys = all). For a kind this node does not
/// know, the specifier is kept as bytes (the length field makes that possible).
public struct StoredDataSpecifier: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "StoredDataSpecifier"

    public enum ModelSpecifier: Equatable, Sendable {
        case singleValue
        case array(indices: [ArrayRange])
        case dictionary(keys: [[UInt8]])
        case unknown([UInt8])
    }

    public var kind: KindId
    public var generation: UInt64
    public var modelSpecifier: ModelSpecifier

    public init(kind: KindId, generation: UInt64, modelSpecifier: ModelSpecifier) {
        self.kind = kind
        self.generation = generation
        self.modelSpecifier = modelSpecifier
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> StoredDataSpecifier {
        let kind = try KindId.decode(from: &reader, configuration)
        let generation = try reader.readUInt64("StoredDataSpecifier.generation")
        var rest = try reader.readContainer(2, "StoredDataSpecifier.length", configuration)
        let specifier: ModelSpecifier
        switch configuration.kinds.dataModel(of: kind) {
        case .singleValue?:
            specifier = .singleValue
        case .array?:
            specifier = .array(
                indices: try rest.readList(
                    2, countLimit: ReloadLimits.arrayRanges, "StoredDataSpecifier.indices", configuration))
        case .dictionary?:
            var keys = try rest.readContainer(2, "StoredDataSpecifier.keys", configuration)
            specifier = .dictionary(
                keys: try keys.readOpaqueElements(
                    2, countLimit: ReloadLimits.dictionaryKeys, "DictionaryKey", configuration))
        case nil:
            specifier = .unknown(try rest.readBytes(rest.remaining, "StoredDataSpecifier.model_specifier"))
        }
        try rest.expectEnd("StoredDataSpecifier.length")
        return StoredDataSpecifier(kind: kind, generation: generation, modelSpecifier: specifier)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try kind.encode(to: &writer)
        writer.writeUInt64(generation)
        let mark = writer.beginContainer(lengthWidth: 2)
        switch modelSpecifier {
        case .singleValue:
            break
        case .array(let indices):
            try writer.writeList(indices, 2, countLimit: ReloadLimits.arrayRanges, "StoredDataSpecifier.indices")
        case .dictionary(let keys):
            try writer.writeOpaqueList(keys, 2, 2, countLimit: ReloadLimits.dictionaryKeys, "StoredDataSpecifier.keys")
        case .unknown(let bytes):
            writer.writeBytes(bytes)
        }
        try writer.endContainer(mark, "StoredDataSpecifier.length")
    }
}
