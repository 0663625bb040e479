import Wire

/// §6.3.3 MessageExtension: type u16 ‖ critical Boolean ‖ extension_contents<0..2^32-1>.
/// RFC 6940 defines no extension; unknown ones are kept as bytes, and a critical one the node
/// does not understand is answered with Error_Unknown_Extension.
public struct MessageExtension: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "MessageExtension"

    /// MessageExtensionType; 0 is invalid. RFC 7851 §9.5 registers Diagnostic_Ping = 2, RFC 7363
    /// §9.1 self_tuning_data = 3.
    public var type: UInt16
    public var isCritical: Bool
    public var contents: [UInt8]

    public init(type: UInt16, isCritical: Bool, contents: [UInt8]) {
        precondition(type != 0, "invalidMessageExtensionType")
        self.type = type
        self.isCritical = isCritical
        self.contents = contents
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> MessageExtension {
        let start = reader.offset
        let type = try reader.readUInt16("MessageExtension.type")
        try reader.require(type != 0, "MessageExtension.type", at: start, 0)
        let critical = try reader.readBoolean("MessageExtension.critical")
        let contents = try reader.readOpaque(4, "MessageExtension.extension_contents", configuration)
        return MessageExtension(type: type, isCritical: critical, contents: contents)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt16(type)
        writer.writeBoolean(isCritical)
        try writer.writeOpaque(contents, lengthWidth: 4, "MessageExtension.extension_contents")
    }

    /// Bytes on the wire: type, critical, length, contents.
    var encodedLength: Int { 2 + 1 + 4 + contents.count }
}
