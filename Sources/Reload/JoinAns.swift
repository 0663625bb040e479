import Wire

/// §6.4.2.1 JoinAns: overlay_specific_data<0..2^16-1>.
public struct JoinAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "JoinAns"
    public var overlaySpecificData: [UInt8]

    public init(overlaySpecificData: [UInt8] = []) {
        self.overlaySpecificData = overlaySpecificData
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> JoinAns {
        return JoinAns(overlaySpecificData: try reader.readOpaque(2, "JoinAns.overlay_specific_data", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(overlaySpecificData, lengthWidth: 2, "JoinAns.overlay_specific_data")
    }
}
