import Wire

/// §10.9 ChordLeaveData, carried in LeaveReq.overlay_specific_data: type(1) ‖ select:
/// from_succ(1) → NodeId successors<0..2^16-1>; from_pred(2) → NodeId predecessors<0..2^16-1>.
public enum ChordLeaveData: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ChordLeaveData"

    /// The Leave was sent by a successor of the recipient.
    case fromSucc(successors: [NodeId])
    /// The Leave was sent by a predecessor of the recipient.
    case fromPred(predecessors: [NodeId])

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ChordLeaveData {
        let start = reader.offset
        let type = try reader.readUInt8("ChordLeaveData.type")
        switch type {
        case 1:
            return .fromSucc(
                successors: try reader.readList(
                    2, countLimit: ReloadLimits.nodeIds, "ChordLeaveData.successors", configuration))
        case 2:
            return .fromPred(
                predecessors: try reader.readList(
                    2, countLimit: ReloadLimits.nodeIds, "ChordLeaveData.predecessors", configuration))
        default:
            throw .invalidValue(field: "ChordLeaveData.type", offset: start, value: UInt64(type))
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch self {
        case .fromSucc(let successors):
            writer.writeUInt8(1)
            try writer.writeList(successors, 2, countLimit: ReloadLimits.nodeIds, "ChordLeaveData.successors")
        case .fromPred(let predecessors):
            writer.writeUInt8(2)
            try writer.writeList(predecessors, 2, countLimit: ReloadLimits.nodeIds, "ChordLeaveData.predecessors")
        }
    }
}
