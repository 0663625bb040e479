import Wire

/// §7.2.3 DictionaryEntry: key DictionaryKey (opaque<0..2^16-1>) ‖ DataValue.
public struct DictionaryEntry: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "DictionaryEntry"
    public var key: [UInt8]
    public var value: DataValue

    public init(key: [UInt8], value: DataValue) {
        self.key = key
        self.value = value
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> DictionaryEntry {
        let key = try reader.readOpaque(2, "DictionaryEntry.key", configuration)
        return DictionaryEntry(key: key, value: try DataValue.decode(from: &reader, configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(key, lengthWidth: 2, "DictionaryEntry.key")
        try value.encode(to: &writer)
    }
}
