import Wire

/// §6.4.2.2 LeaveReq: leaving_peer_id NodeId ‖ overlay_specific_data<0..2^16-1>. For
/// CHORD-RELOAD the data MUST be a ChordLeaveData (§10.9); an empty field (sent by other
/// topologies or older peers) decodes as nil.
public struct LeaveReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "LeaveReq"
    public var leavingPeerId: NodeId
    public var overlaySpecificData: ChordLeaveData?

    public init(leavingPeerId: NodeId, overlaySpecificData: ChordLeaveData?) {
        self.leavingPeerId = leavingPeerId
        self.overlaySpecificData = overlaySpecificData
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> LeaveReq {
        let id = try NodeId.decode(from: &reader, configuration)
        var data = try reader.readContainer(2, "LeaveReq.overlay_specific_data", configuration)
        var leaveData: ChordLeaveData? = nil
        if !data.isAtEnd {
            leaveData = try ChordLeaveData.decode(from: &data, configuration)
            try data.expectEnd("LeaveReq.overlay_specific_data")
        }
        return LeaveReq(leavingPeerId: id, overlaySpecificData: leaveData)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try leavingPeerId.encode(to: &writer)
        let mark = writer.beginContainer(lengthWidth: 2)
        if let overlaySpecificData { try overlaySpecificData.encode(to: &writer) }
        try writer.endContainer(mark, "LeaveReq.overlay_specific_data")
    }
}
