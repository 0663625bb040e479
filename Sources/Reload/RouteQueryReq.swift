import Wire

/// §6.4.2.4.1 RouteQueryReq: send_update Boolean ‖ destination Destination ‖
/// overlay_specific_data<0..2^16-1> (CHORD-RELOAD adds nothing, §10.8).
public struct RouteQueryReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "RouteQueryReq"
    public var sendUpdate: Bool
    public var destination: Destination
    public var overlaySpecificData: [UInt8]

    public init(sendUpdate: Bool, destination: Destination, overlaySpecificData: [UInt8] = []) {
        self.sendUpdate = sendUpdate
        self.destination = destination
        self.overlaySpecificData = overlaySpecificData
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> RouteQueryReq {
        let sendUpdate = try reader.readBoolean("RouteQueryReq.send_update")
        let destination = try Destination.decode(from: &reader, configuration)
        let data = try reader.readOpaque(2, "RouteQueryReq.overlay_specific_data", configuration)
        return RouteQueryReq(sendUpdate: sendUpdate, destination: destination, overlaySpecificData: data)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeBoolean(sendUpdate)
        try destination.encode(to: &writer)
        try writer.writeOpaque(overlaySpecificData, lengthWidth: 2, "RouteQueryReq.overlay_specific_data")
    }
}
