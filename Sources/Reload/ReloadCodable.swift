import Wire

/// A structure of RFC 6940's presentation language (§6.3.1) with exactly one wire form.
/// Decoding reads it from a bounded reader and checks every length, count and enumerated value;
/// encoding writes the same bytes back. For every value `v` that encodes, decoding the bytes
/// gives `v` again, and for every byte string that decodes, encoding gives the same bytes.
public protocol ReloadCodable {
    /// The RFC's name of the structure, used in error messages.
    static var rfcName: String { get }
    static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> Self
    func encode(to writer: inout ByteWriter) throws(WireError)
}

extension ReloadCodable {
    /// Decodes a value that fills `bytes` exactly.
    public static func decode(
        bytes: [UInt8], _ configuration: CodecConfiguration = CodecConfiguration()
    ) throws(WireError) -> Self {
        var reader = ByteReader(bytes)
        let value = try decode(from: &reader, configuration)
        try reader.expectEnd(rfcName)
        return value
    }

    /// The wire form of the value.
    public func encoded() throws(WireError) -> [UInt8] {
        var writer = ByteWriter()
        try encode(to: &writer)
        return writer.bytes
    }
}
