import Wire

/// A structure whose wire form depends on the kind's data model (§7.2): StoredData (§7) and
/// StoredMetaData (§7.4.3.2).
public protocol ModelledValue: Equatable, Sendable {
    static func decode(model: DataModel, from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> Self
    func encode(to writer: inout ByteWriter) throws(WireError)
}
