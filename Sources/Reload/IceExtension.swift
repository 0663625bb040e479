import Wire

/// §6.5.1.1 IceExtension: name<0..2^16-1> ‖ value<0..2^16-1>.
public struct IceExtension: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "IceExtension"
    public var name: [UInt8]
    public var value: [UInt8]

    public init(name: [UInt8], value: [UInt8]) {
        self.name = name
        self.value = value
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> IceExtension {
        let name = try reader.readOpaque(2, "IceExtension.name", configuration)
        let value = try reader.readOpaque(2, "IceExtension.value", configuration)
        return IceExtension(name: name, value: value)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(name, lengthWidth: 2, "IceExtension.name")
        try writer.writeOpaque(value, lengthWidth: 2, "IceExtension.value")
    }
}
