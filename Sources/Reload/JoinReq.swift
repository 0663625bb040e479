import Wire

/// §6.4.2.1 JoinReq: joining_peer_id NodeId ‖ overlay_specific_data<0..2^16-1>
/// (CHORD-RELOAD defines none, §10.5).
public struct JoinReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "JoinReq"
    public var joiningPeerId: NodeId
    public var overlaySpecificData: [UInt8]

    public init(joiningPeerId: NodeId, overlaySpecificData: [UInt8] = []) {
        self.joiningPeerId = joiningPeerId
        self.overlaySpecificData = overlaySpecificData
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> JoinReq {
        let id = try NodeId.decode(from: &reader, configuration)
        let data = try reader.readOpaque(2, "JoinReq.overlay_specific_data", configuration)
        return JoinReq(joiningPeerId: id, overlaySpecificData: data)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try joiningPeerId.encode(to: &writer)
        try writer.writeOpaque(overlaySpecificData, lengthWidth: 2, "JoinReq.overlay_specific_data")
    }
}
