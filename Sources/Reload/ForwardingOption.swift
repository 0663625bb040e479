import Wire

/// §6.3.2.3 ForwardingOption: type(1) ‖ flags(1) ‖ length(2) ‖ option value. RFC 6940 defines
/// no option type; unknown options are kept as bytes, and a node that meets a critical one it
/// does not understand answers Error_Unsupported_Forwarding_Option.
public struct ForwardingOption: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ForwardingOption"

    /// §6.3.2.3 flags; unknown bits are kept as they are.
    public struct Flags: OptionSet, Equatable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let forwardCritical = Flags(rawValue: 0x01)
        public static let destinationCritical = Flags(rawValue: 0x02)
        public static let responseCopy = Flags(rawValue: 0x04)
    }

    /// ForwardingOptionType; 0 is invalid.
    public var type: UInt8
    public var flags: Flags
    public var value: [UInt8]

    public init(type: UInt8, flags: Flags, value: [UInt8]) {
        precondition(type != 0, "invalidForwardingOptionType")
        self.type = type
        self.flags = flags
        self.value = value
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ForwardingOption {
        let start = reader.offset
        let type = try reader.readUInt8("ForwardingOption.type")
        try reader.require(type != 0, "ForwardingOption.type", at: start, 0)
        let flags = Flags(rawValue: try reader.readUInt8("ForwardingOption.flags"))
        let value = try reader.readOpaque(2, "ForwardingOption.length", configuration)
        return ForwardingOption(type: type, flags: flags, value: value)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt8(type)
        writer.writeUInt8(flags.rawValue)
        try writer.writeOpaque(value, lengthWidth: 2, "ForwardingOption.length")
    }
}
